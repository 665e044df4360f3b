package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad demo settings are refused as they are bound, with a message that names the setting. */
class DemoPropertiesTest {

    private static DemoProperties demo(String name, List<String> chatMessages, Duration chatPause, Duration deadline) {
        return new DemoProperties(true, false, name, "start", List.of("msg1"), chatMessages, chatPause, deadline,
                retry(4, Duration.ofMillis(100), 2), new DemoProperties.HealthCheck(true));
    }

    private static DemoProperties.Retry retry(int maxAttempts, Duration initialBackoff, double multiplier) {
        return new DemoProperties.Retry(maxAttempts, initialBackoff, Duration.ofSeconds(1), multiplier);
    }

    @Test
    void acceptsTheArticlesInputs() {
        assertThatNoException().isThrownBy(() -> demo("Hyeonghwan", List.of("Hello grpc!"), Duration.ZERO,
                Duration.ofSeconds(30)));
        assertThatNoException().isThrownBy(() -> retry(4, Duration.ofMillis(100), 2));
    }

    @Test
    void refusesBadDemoSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> demo(" ", List.of("a"), Duration.ZERO, Duration.ofSeconds(1)))
                .withMessage("demo.name must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> demo("n", List.of(), Duration.ZERO, Duration.ofSeconds(1)))
                .withMessage("demo.chat-messages must not be empty");
        assertThatIllegalArgumentException().isThrownBy(() -> demo("n", List.of("a"), Duration.ofSeconds(-1),
                Duration.ofSeconds(1))).withMessage("demo.chat-pause must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> demo("n", List.of("a"), Duration.ZERO, Duration.ZERO))
                .withMessage("demo.deadline must be at least 1ms");
    }

    @Test
    void refusesARetryPolicyGrpcJavaWouldNotHonour() {
        assertThatIllegalArgumentException().isThrownBy(() -> retry(6, Duration.ofMillis(100), 2))
                .withMessage("demo.retry.max-attempts must be 2 to 5");
        assertThatIllegalArgumentException().isThrownBy(() -> retry(4, Duration.ZERO, 2))
                .withMessage("demo.retry.initial-backoff must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> retry(4, Duration.ofMillis(100), 0.5))
                .withMessage("demo.retry.backoff-multiplier must be at least 1");
    }
}
