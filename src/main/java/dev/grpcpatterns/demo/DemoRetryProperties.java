package dev.grpcpatterns.demo;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The retry policy of the demo channel's SayHello ({@code demo.retry.*}): a call that fails with
 * {@code UNAVAILABLE} (a replica gone) is tried again, on another replica when the channel balances over several.
 *
 * @param maxAttempts attempts per call, the first included; grpc-java caps it at 5
 * @param initialBackoff the upper bound of the random pause before the first retry
 * @param maxBackoff the largest pause between two attempts
 * @param backoffMultiplier how much the pause bound grows after each attempt
 */
@Validated
@ConfigurationProperties("demo.retry")
public record DemoRetryProperties(
        @Min(2) @Max(5) int maxAttempts,
        @NotNull @DurationMin(nanos = 1) Duration initialBackoff,
        @NotNull @DurationMin(nanos = 1) Duration maxBackoff,
        @DecimalMin(value = "1.0") double backoffMultiplier) {
}
