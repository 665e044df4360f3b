package dev.grpcpatterns.demo;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Settings of the demo flows and of the demo channel ({@code demo.*} in application.yml), checked as they are
 * bound; the defaults are the article's inputs.
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
 * @param retry SayHello's retry policy on the demo channel
 * @param healthCheck the demo channel's client-side health checking
 * @param tokenOverPlaintext whether the demo's bearer token (a {@code demo} OAuth2 client registration) may be sent
 *     on a channel without TLS, where anyone on the path can read it; by default it is not, and the call fails
 */
@ConfigurationProperties("demo")
record DemoProperties(
        boolean enabled,
        boolean exitWhenDone,
        String name,
        String serverStreamRequest,
        List<String> clientStreamMessages,
        List<String> chatMessages,
        Duration chatPause,
        Duration deadline,
        Retry retry,
        HealthCheck healthCheck,
        boolean tokenOverPlaintext) {

    DemoProperties {
        Assert.hasText(name, "demo.name must not be blank");
        Assert.notNull(serverStreamRequest, "demo.server-stream-request must be set");
        Assert.notEmpty(clientStreamMessages, "demo.client-stream-messages must not be empty");
        Assert.noNullElements(clientStreamMessages, "demo.client-stream-messages must not contain null");
        Assert.notEmpty(chatMessages, "demo.chat-messages must not be empty");
        Assert.noNullElements(chatMessages, "demo.chat-messages must not contain null");
        Assert.isTrue(chatPause != null && !chatPause.isNegative(), "demo.chat-pause must not be negative");
        Assert.isTrue(deadline != null && deadline.toMillis() >= 1, "demo.deadline must be at least 1ms");
        Assert.notNull(retry, "demo.retry must be set");
        Assert.notNull(healthCheck, "demo.health-check must be set");
    }

    /**
     * The retry policy of the demo channel's SayHello: a call that fails with {@code UNAVAILABLE} (a replica gone) is
     * tried again, on another replica when the channel balances over several.
     *
     * @param maxAttempts attempts per call, the first included; grpc-java caps it at 5
     * @param initialBackoff the upper bound of the random pause before the first retry
     * @param maxBackoff the largest pause between two attempts
     * @param backoffMultiplier how much the pause bound grows after each attempt
     */
    record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double backoffMultiplier) {

        Retry {
            Assert.isTrue(maxAttempts >= 2 && maxAttempts <= 5, "demo.retry.max-attempts must be 2 to 5");
            Assert.isTrue(isPositive(initialBackoff), "demo.retry.initial-backoff must be positive");
            Assert.isTrue(isPositive(maxBackoff), "demo.retry.max-backoff must be positive");
            Assert.isTrue(backoffMultiplier >= 1, "demo.retry.backoff-multiplier must be at least 1");
        }

        private static boolean isPositive(Duration duration) {
            return duration != null && !duration.isNegative() && !duration.isZero();
        }
    }

    /**
     * Client-side health checking of the demo channel.
     *
     * @param enabled whether the channel watches each address's {@code grpc.health.v1} status and calls only those
     *     SERVING. Right when the addresses are the replicas themselves; wrong behind an L7 proxy (nginx), where the
     *     one address is the proxy and the watch reaches a single replica: when that one drains, the whole channel
     *     would stop.
     */
    record HealthCheck(boolean enabled) {
    }
}
