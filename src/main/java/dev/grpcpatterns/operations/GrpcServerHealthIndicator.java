package dev.grpcpatterns.operations;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The {@code grpcServer} health component: UP while the gRPC server listens, with its port and the services it
 * serves; DOWN before it has started and from the moment its shutdown begins. net.devh's own indicator covers
 * client channels only.
 */
@Component
class GrpcServerHealthIndicator implements HealthIndicator {

    private volatile Server server;

    @EventListener
    void started(GrpcServerStartedEvent event) {
        server = event.getServer();
    }

    @Override
    public Health health() {
        Server current = server;
        if (current == null) {
            return Health.down().withDetail("state", "not started").build();
        }
        if (current.isShutdown()) {
            return Health.down().withDetail("state", "shutting down").build();
        }
        return Health.up()
                .withDetail("port", current.getPort())
                .withDetail("services", current.getServices().stream()
                        .map(service -> service.getServiceDescriptor().getName())
                        .sorted()
                        .toList())
                .build();
    }
}
