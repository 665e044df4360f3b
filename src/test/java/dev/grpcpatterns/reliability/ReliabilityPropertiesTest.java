package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.grpcpatterns.reliability.ReliabilityProperties.Admission.Limit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits that would leave the server unable to run or admit a call are refused as they are bound. */
class ReliabilityPropertiesTest {

    private static final ReliabilityProperties.Admission ADMISSION = admission(20, 4, 200, 2000, 100);

    @Test
    void refusesLimitsBelowOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReliabilityProperties(0, executor(16), ADMISSION))
                .withMessage("reliability.max-concurrent-calls-per-connection must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> executor(-1))
                .withMessage("reliability.executor.threads must be 0 (two per processor) or more");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReliabilityProperties.Executor(0, null))
                .withMessage("reliability.executor.after-start must be transport or pool");
        assertThatIllegalArgumentException().isThrownBy(() -> admission(20, 0, 200, 2000, 100))
                .withMessage("reliability.admission.min-limit must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> admission(20, 4, 200, 0, 100))
                .withMessage("reliability.admission.max-open-streams must be at least 1");
    }

    @Test
    void sizesTheExecutorFromTheProcessorsUnlessANumberIsGiven() {
        assertThat(executor(0).size())
                .isEqualTo(2 * Runtime.getRuntime().availableProcessors());
        assertThat(executor(16).size()).isEqualTo(16);
    }

    @Test
    void refusesAnAdmissionLimitOutOfOrder() {
        assertThatIllegalArgumentException().isThrownBy(() -> admission(20, 40, 30, 2000, 100))
                .withMessage("reliability.admission.max-limit must be at least reliability.admission.min-limit");
        assertThatIllegalArgumentException().isThrownBy(() -> admission(300, 4, 200, 2000, 100))
                .withMessage("reliability.admission.initial-limit must lie between min-limit and max-limit");
        assertThatIllegalArgumentException().isThrownBy(() -> admission(20, 4, 200, 2000, -1))
                .withMessage("reliability.admission.retry-pushback must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReliabilityProperties.Admission(true, Limit.FIXED,
                20, 4, 0, 2000, Duration.ofMillis(100))).withMessage("reliability.admission.max-limit must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReliabilityProperties.Admission(true, null, 20, 4,
                200, 2000, Duration.ofMillis(100))).withMessage("reliability.admission.limit must be fixed or gradient2");
    }

    @Test
    void aFixedLimitIsMaxLimitWhateverTheAdaptiveSettingsSay() {
        // min-limit and initial-limit belong to gradient2: a fixed limit below the default initial-limit is fine.
        assertThatNoException().isThrownBy(() -> new ReliabilityProperties.Admission(true, Limit.FIXED, 100, 20, 3,
                2000, Duration.ofMillis(100)));
    }

    private static ReliabilityProperties.Executor executor(int threads) {
        return new ReliabilityProperties.Executor(threads, ReliabilityProperties.Executor.AfterStart.TRANSPORT);
    }

    private static ReliabilityProperties.Admission admission(int initial, int min, int max, int streams,
            long pushbackMillis) {
        return new ReliabilityProperties.Admission(true, Limit.GRADIENT2, initial, min, max, streams,
                Duration.ofMillis(pushbackMillis));
    }
}
