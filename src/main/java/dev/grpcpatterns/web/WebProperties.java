package dev.grpcpatterns.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Settings of the web protocols on the HTTP port ({@code web.*} in application.yml), checked as they are bound.
 * The message size limit is the gRPC port's own, {@code grpc.server.max-inbound-message-size}.
 *
 * @param enabled              gRPC-Web, Connect and gRPC over WebSocket on the HTTP port
 * @param allowedOrigins       origins besides the page's own that may call (CORS) and open WebSockets; empty: none
 * @param maxCallsPerClient    web calls one client address may have open at once; the next is RESOURCE_EXHAUSTED
 * @param maxCallDuration      the longest an HTTP call (gRPC-Web, Connect) may last: its deadline, if the caller
 *                             sets none or a later one
 * @param idleTimeout          a WebSocket call with no message either way for this long is closed
 * @param maxPendingMessages   messages a WebSocket client may send ahead of the service taking them; one more ends
 *                             the call with RESOURCE_EXHAUSTED
 */
@ConfigurationProperties("web")
public record WebProperties(
        boolean enabled,
        List<String> allowedOrigins,
        int maxCallsPerClient,
        Duration maxCallDuration,
        Duration idleTimeout,
        int maxPendingMessages) {

    public WebProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        Assert.noNullElements(allowedOrigins, "web.allowed-origins must not contain null");
        Assert.isTrue(!allowedOrigins.contains("*"),
                "web.allowed-origins must name origins: \"*\" would let any site call with its visitors' browsers");
        Assert.isTrue(maxCallsPerClient >= 1, "web.max-calls-per-client must be at least 1");
        Assert.isTrue(maxCallDuration != null && !maxCallDuration.isNegative() && !maxCallDuration.isZero(),
                "web.max-call-duration must be positive");
        Assert.isTrue(idleTimeout != null && !idleTimeout.isNegative() && !idleTimeout.isZero(), "web.idle-timeout must be positive");
        Assert.isTrue(maxPendingMessages >= 1, "web.max-pending-messages must be at least 1");
    }
}
