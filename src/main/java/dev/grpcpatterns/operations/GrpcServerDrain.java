package dev.grpcpatterns.operations;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The gRPC half of graceful shutdown. net.devh announces the shutdown ({@link GrpcServerShutdownEvent}) and then
 * waits {@code grpc.server.shutdown-grace-period} before {@code shutdownNow()}, which resets open streams without a
 * status. This drain runs inside that announcement, so it finishes first and net.devh finds the server terminated:
 * <ol>
 *   <li>stop taking new calls ({@code Server.shutdown()}: the port closes, clients get GOAWAY);</li>
 *   <li>end open health {@code Watch} streams, which never end by themselves (they already saw NOT_SERVING);</li>
 *   <li>give the calls in flight the grace period to finish;</li>
 *   <li>end those still open with UNAVAILABLE, a status clients may retry elsewhere, and let it reach them.</li>
 * </ol>
 * Readiness and gRPC health are already NOT_SERVING by then ({@link GrpcHealthBridge}).
 */
@Component
class GrpcServerDrain {

    static final String SHUTTING_DOWN = "server is shutting down";

    private static final Logger log = LoggerFactory.getLogger(GrpcServerDrain.class);
    private static final String HEALTH_WATCH = HealthGrpc.getWatchMethod().getFullMethodName();
    private static final Status ENDED = Status.UNAVAILABLE.withDescription(SHUTTING_DOWN);
    /** Time for the final statuses to be written once the calls have been ended. */
    private static final Duration FLUSH = Duration.ofSeconds(5);

    private final OpenCalls openCalls;
    private final Duration grace;

    GrpcServerDrain(OpenCalls openCalls, GrpcServerProperties server) {
        this.openCalls = openCalls;
        this.grace = server.getShutdownGracePeriod();
    }

    @EventListener
    void drain(GrpcServerShutdownEvent event) throws InterruptedException {
        Server server = event.getServer();
        server.shutdown();
        openCalls.end(HEALTH_WATCH::equals, ENDED);
        log.info("gRPC server refuses new calls; waiting up to {} for the calls in flight", grace);
        if (finishedWithinGrace(server)) {
            log.info("gRPC server drained: every call finished");
            return;
        }
        int ended = openCalls.end(method -> true, ENDED);
        log.info("gRPC grace period over: ended {} open call(s) with UNAVAILABLE", ended);
        if (!server.awaitTermination(FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
            // Every call has its status; what is left are idle connections. Without this, net.devh would wait
            // a second grace period for them.
            server.shutdownNow();
        }
    }

    /** Mirrors net.devh's meaning of the setting: negative waits for ever, zero not at all. */
    private boolean finishedWithinGrace(Server server) throws InterruptedException {
        if (grace.isNegative()) {
            server.awaitTermination();
            return true;
        }
        return server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
