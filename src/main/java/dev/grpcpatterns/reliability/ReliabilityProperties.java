package dev.grpcpatterns.reliability;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * The gRPC server limits net.devh has no key for ({@code reliability.*} in application.yml), checked as they
 * are bound.
 *
 * @param maxConcurrentCallsPerConnection HTTP/2 MAX_CONCURRENT_STREAMS the server announces: a client's further
 *                                        calls on that connection wait (client side) until one ends
 * @param executor                        the bounded pool that runs every call's callbacks
 */
@ConfigurationProperties("reliability")
public record ReliabilityProperties(
        int maxConcurrentCallsPerConnection,
        Executor executor) {

    public ReliabilityProperties {
        Assert.isTrue(maxConcurrentCallsPerConnection >= 1,
                "reliability.max-concurrent-calls-per-connection must be at least 1");
        Assert.notNull(executor, "reliability.executor must be set");
    }

    /**
     * @param threads       fixed number of threads running service code
     * @param queueCapacity callbacks waiting for a thread; beyond it the Netty thread that received the
     *                      data runs the callback itself, which stops it reading its connections meanwhile
     */
    public record Executor(int threads, int queueCapacity) {

        public Executor {
            Assert.isTrue(threads >= 1, "reliability.executor.threads must be at least 1");
            Assert.isTrue(queueCapacity >= 1, "reliability.executor.queue-capacity must be at least 1");
        }
    }
}
