package dev.grpcpatterns.chat;

import jakarta.validation.Valid;
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
public record ChatProperties(@Valid @NotNull ServerStream serverStream) {

    /**
     * @param messages the texts ServerStream sends, in order
     * @param interval the pause between two of them; zero sends them back to back
     */
    public record ServerStream(
            @NotEmpty List<@NotNull String> messages,
            @NotNull @DurationMin(millis = 0) Duration interval) {
    }
}
