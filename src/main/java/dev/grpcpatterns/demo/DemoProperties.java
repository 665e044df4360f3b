package dev.grpcpatterns.demo;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the demo flows ({@code demo.*} in application.yml); the defaults are the article's inputs.
 *
 * @param enabled whether the service runs the demo against itself once it is ready
 * @param exitWhenDone whether the service then stops, with exit status 0 when all four flows answered and 1
 *     otherwise: a self-test of a build or an image, and the workload of the start-up cache's training run
 * @param name SayHello's name
 * @param serverStreamRequest the text of ServerStream's one request
 * @param clientStreamMessages the texts ClientStream sends
 * @param chatMessages the texts Chat sends
 * @param chatPause how long Chat waits after each answer before sending the next text
 * @param deadline the deadline of every demo call
 */
@Validated
@ConfigurationProperties("demo")
public record DemoProperties(
        boolean enabled,
        boolean exitWhenDone,
        @NotBlank String name,
        @NotNull String serverStreamRequest,
        @NotEmpty List<@NotNull String> clientStreamMessages,
        @NotEmpty List<@NotNull String> chatMessages,
        @NotNull @DurationMin(millis = 0) Duration chatPause,
        @NotNull @DurationMin(millis = 1) Duration deadline) {
}
