package dev.grpcpatterns.demo;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * The retry policy of the demo channel's SayHello ({@code demo.retry.*}): a call that fails with
 * {@code UNAVAILABLE} (a replica gone) is tried again, on another replica when the channel balances over several.
 *
 * @param maxAttempts attempts per call, the first included; grpc-java caps it at 5
 * @param initialBackoff the upper bound of the random pause before the first retry
 * @param maxBackoff the largest pause between two attempts
 * @param backoffMultiplier how much the pause bound grows after each attempt
 */
@ConfigurationProperties("demo.retry")
public record DemoRetryProperties(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double backoffMultiplier) {

    public DemoRetryProperties {
        Assert.isTrue(maxAttempts >= 2 && maxAttempts <= 5, "demo.retry.max-attempts must be 2 to 5");
        Assert.isTrue(isPositive(initialBackoff), "demo.retry.initial-backoff must be positive");
        Assert.isTrue(isPositive(maxBackoff), "demo.retry.max-backoff must be positive");
        Assert.isTrue(backoffMultiplier >= 1, "demo.retry.backoff-multiplier must be at least 1");
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
