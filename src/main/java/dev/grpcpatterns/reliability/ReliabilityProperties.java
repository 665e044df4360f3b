package dev.grpcpatterns.reliability;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The gRPC server limits net.devh has no key for ({@code reliability.*} in application.yml).
 *
 * @param maxConcurrentCallsPerConnection HTTP/2 MAX_CONCURRENT_STREAMS the server announces: a client's further
 *                                        calls on that connection wait (client side) until one ends
 * @param executor                        the bounded pool that runs every call's callbacks
 */
@Validated
@ConfigurationProperties("reliability")
public record ReliabilityProperties(
        @Min(1) int maxConcurrentCallsPerConnection,
        @Valid @NotNull Executor executor) {

    /**
     * @param threads       fixed number of threads running service code
     * @param queueCapacity callbacks waiting for a thread; beyond it the Netty thread that received the
     *                      data runs the callback itself, which stops it reading its connections meanwhile
     */
    public record Executor(@Min(1) int threads, @Min(1) int queueCapacity) {
    }
}
