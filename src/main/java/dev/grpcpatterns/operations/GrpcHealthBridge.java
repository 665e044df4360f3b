package dev.grpcpatterns.operations;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.ArrayList;
import java.util.List;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Mirrors Spring's availability in the standard {@code grpc.health.v1.Health} service (net.devh's
 * {@link HealthStatusManager}): {@code ""} and every served service name are SERVING only while the application
 * accepts traffic and NOT_SERVING before that and from the moment shutdown begins; {@value #LIVENESS} follows
 * Spring's liveness state, so a native gRPC liveness probe does not fail while the server drains.
 */
@Component
class GrpcHealthBridge {

    /** The name a gRPC liveness probe asks for. */
    static final String LIVENESS = "liveness";

    private final HealthStatusManager health;
    private final List<String> readinessNames = new ArrayList<>(List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES));
    private ServingStatus readiness = NOT_SERVING;
    private boolean shuttingDown;

    GrpcHealthBridge(HealthStatusManager health) {
        this.health = health;
        // grpc-java starts "" as SERVING; nothing is ready before Spring says so.
        publish();
    }

    @EventListener
    synchronized void serverStarted(GrpcServerStartedEvent event) {
        event.getServer().getServices().stream()
                .map(service -> service.getServiceDescriptor().getName())
                .filter(name -> !name.equals(HealthGrpc.SERVICE_NAME))
                .forEach(readinessNames::add);
        publish();
    }

    @EventListener
    synchronized void readinessChanged(AvailabilityChangeEvent<ReadinessState> event) {
        readiness = event.getState() == ReadinessState.ACCEPTING_TRAFFIC && !shuttingDown ? SERVING : NOT_SERVING;
        publish();
    }

    @EventListener
    synchronized void livenessChanged(AvailabilityChangeEvent<LivenessState> event) {
        health.setStatus(LIVENESS, event.getState() == LivenessState.CORRECT ? SERVING : NOT_SERVING);
    }

    /**
     * Spring publishes REFUSING_TRAFFIC when its context closes; this also covers a server stopped on its own, and
     * runs before {@link GrpcServerDrain} starts waiting.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    synchronized void serverShuttingDown(GrpcServerShutdownEvent event) {
        shuttingDown = true;
        readiness = NOT_SERVING;
        publish();
    }

    private void publish() {
        readinessNames.forEach(name -> health.setStatus(name, readiness));
    }
}
