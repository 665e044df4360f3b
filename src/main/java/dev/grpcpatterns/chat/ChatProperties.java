package dev.grpcpatterns.chat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Settings of the ChatService ({@code chat.*} in application.yml). */
@Validated
@ConfigurationProperties("chat")
public record ChatProperties(@Valid @NotNull ServerStream serverStream, @Valid @NotNull ClientStream clientStream) {

    /**
     * @param messages the texts ServerStream sends, in order
     * @param interval the pause between two of them; zero sends them back to back
     */
    public record ServerStream(
            @NotEmpty List<@NotNull String> messages,
            @NotNull @DurationMin(millis = 0) Duration interval) {
    }

    /**
     * Bounds on one ClientStream call, so a client cannot make the server hold an unbounded text.
     *
     * @param maxMessages     messages one call may send; the next one ends the call with RESOURCE_EXHAUSTED
     * @param maxJoinedLength characters the joined reply may have; beyond it, RESOURCE_EXHAUSTED
     */
    public record ClientStream(@Min(1) int maxMessages, @Min(1) int maxJoinedLength) {
    }
}
