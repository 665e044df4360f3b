package dev.grpcpatterns.reliability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * The gRPC server limits net.devh has no key for ({@code reliability.*} in application.yml), checked as they
 * are bound.
 *
 * @param maxConcurrentCallsPerConnection HTTP/2 MAX_CONCURRENT_STREAMS the server announces: a client's further
 *                                        calls on that connection wait (client side) until one ends
 * @param executor                        the fixed pool that runs the calls' starts (and their callbacks, if asked)
 * @param admission                       load shedding: which calls are let in under overload
 */
@ConfigurationProperties("reliability")
public record ReliabilityProperties(
        int maxConcurrentCallsPerConnection,
        Executor executor,
        Admission admission) {

    public ReliabilityProperties {
        Assert.isTrue(maxConcurrentCallsPerConnection >= 1,
                "reliability.max-concurrent-calls-per-connection must be at least 1");
        Assert.notNull(executor, "reliability.executor must be set");
        Assert.notNull(admission, "reliability.admission must be set");
    }

    /**
     * @param threads    fixed number of threads running service code; 0 (the default): two per processor the JVM may
     *                   use, so that on a small host a call's next callback usually finds a thread still running
     *                   instead of waking one (docs/performance.md#the-streams-call-path-issue-26-item-3)
     * @param afterStart where a call's callbacks run once its start (the interceptors, the identity check, the
     *                   service method's start) has run on the pool: {@code transport} (the default), on the gRPC
     *                   port's transport thread that read them, two thread hand-offs fewer per stream message; or
     *                   {@code pool}, on the pool too, for service methods that block on a message, a half-close or
     *                   an end
     */
    public record Executor(int threads, AfterStart afterStart) {

        static final int THREADS_PER_PROCESSOR = 2;

        public Executor {
            Assert.isTrue(threads >= 0, "reliability.executor.threads must be 0 (two per processor) or more");
            Assert.notNull(afterStart, "reliability.executor.after-start must be transport or pool");
        }

        /** The pool's size: {@code threads}, or two per available processor if that is 0. */
        public int size() {
            return threads > 0 ? threads : THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
        }

        /** Where a call's callbacks run after its start. */
        public enum AfterStart {
            /** On the transport thread that hands them over (a Netty event loop). */
            TRANSPORT,
            /** On the pool, like the start. */
            POOL
        }
    }

    /**
     * @param enabled        false lets every call in (no limit, no rejection)
     * @param limit          how many calls are let in at once: {@code fixed} (always {@code max-limit}) or
     *                       {@code gradient2} (adaptive, between {@code min-limit} and {@code max-limit})
     * @param initialLimit   calls admitted at once before the adaptive limit has measured anything (gradient2)
     * @param minLimit       the adaptive limit never goes below this (gradient2)
     * @param maxLimit       nor above this; the fixed limit
     * @param maxOpenStreams streaming calls open at once; a new one beyond it is rejected
     * @param retryPushback  sent with a rejection as {@code grpc-retry-pushback-ms}: how long a client whose retry
     *                       policy covers the status waits before it tries again
     */
    public record Admission(boolean enabled, Limit limit, int initialLimit, int minLimit, int maxLimit,
            int maxOpenStreams, Duration retryPushback) {

        public Admission {
            Assert.notNull(limit, "reliability.admission.limit must be fixed or gradient2");
            Assert.isTrue(maxLimit >= 1, "reliability.admission.max-limit must be at least 1");
            if (limit == Limit.GRADIENT2) {
                // Only the adaptive limit moves between these; a fixed one is max-limit.
                Assert.isTrue(minLimit >= 1, "reliability.admission.min-limit must be at least 1");
                Assert.isTrue(maxLimit >= minLimit,
                        "reliability.admission.max-limit must be at least reliability.admission.min-limit");
                Assert.isTrue(initialLimit >= minLimit && initialLimit <= maxLimit,
                        "reliability.admission.initial-limit must lie between min-limit and max-limit");
            }
            Assert.isTrue(maxOpenStreams >= 1, "reliability.admission.max-open-streams must be at least 1");
            Assert.notNull(retryPushback, "reliability.admission.retry-pushback must be set");
            Assert.isTrue(!retryPushback.isNegative(), "reliability.admission.retry-pushback must not be negative");
        }

        /** How the number of calls let in at once is set. */
        public enum Limit {
            /** Always {@code max-limit}: never lowered by a stall of the host (docs/reliability.md#overload). */
            FIXED,
            /** Netflix's Gradient2: lowered while calls take longer than they used to, raised while they do not. */
            GRADIENT2
        }
    }
}
