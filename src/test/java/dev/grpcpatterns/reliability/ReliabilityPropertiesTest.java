package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Limits that would leave the server unable to run a call are refused as they are bound. */
class ReliabilityPropertiesTest {

    @Test
    void refusesLimitsBelowOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReliabilityProperties(0, new ReliabilityProperties.Executor(16, 10_000)))
                .withMessage("reliability.max-concurrent-calls-per-connection must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReliabilityProperties.Executor(0, 10_000))
                .withMessage("reliability.executor.threads must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReliabilityProperties.Executor(16, 0))
                .withMessage("reliability.executor.queue-capacity must be at least 1");
    }
}
