package dev.grpcpatterns.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Client-side health checking of the demo channel ({@code demo.health-check.*}).
 *
 * @param enabled whether the channel watches each address's {@code grpc.health.v1} status and calls only those
 *     SERVING. Right when the addresses are the replicas themselves; wrong behind an L7 proxy (nginx), where the one
 *     address is the proxy and the watch reaches a single replica: when that one drains, the whole channel would stop.
 */
@ConfigurationProperties("demo.health-check")
public record DemoHealthCheckProperties(boolean enabled) {
}
