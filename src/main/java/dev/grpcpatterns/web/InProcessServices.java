package dev.grpcpatterns.web;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import net.devh.boot.grpc.server.serverfactory.InProcessGrpcServerFactory;
import net.devh.boot.grpc.server.service.GrpcServiceDiscoverer;
import org.springframework.context.SmartLifecycle;

/**
 * The services as net.devh serves them on the gRPC port, served once more in-process for the web protocols: the same
 * service definitions with the same interceptors bound (identity, access rules, metrics, tracing, open calls, the
 * bad-input guard, exception advice), the same {@link GrpcServerConfigurer}s (the bounded executor) and limits. So
 * every web call is a real gRPC call and meets every rule there is, once.
 *
 * <p>Not net.devh's own {@code grpc.server.in-process-name}: its in-process factory refuses to start beside the
 * keepalive and connection age settings the gRPC port uses (connection settings mean nothing in-process, so here they
 * are skipped), and a fixed name clashes when a JVM holds several contexts (tests). The name here is unique.
 */
final class InProcessServices implements SmartLifecycle {

    /** Started after, and stopped just after, net.devh's server (phase {@code Integer.MAX_VALUE}), which drains. */
    private static final int PHASE = Integer.MAX_VALUE - 1;

    private final Server server;
    private final ManagedChannel channel;
    private volatile boolean running;

    InProcessServices(GrpcServerProperties properties, GrpcServiceDiscoverer discoverer,
            List<GrpcServerConfigurer> configurers) {
        String name = "grpc-patterns-web-" + UUID.randomUUID();
        InProcessGrpcServerFactory factory = new InProcessGrpcServerFactory(name, properties, configurers) {
            @Override
            protected void configureKeepAlive(InProcessServerBuilder builder) {
                // No connections in-process: nothing to keep alive.
            }

            @Override
            protected void configureConnectionLimits(InProcessServerBuilder builder) {
                // Likewise: connection idle and age limits have no connection to act on.
            }
        };
        discoverer.findGrpcServices().forEach(factory::addService);
        this.server = factory.createServer();
        // Replies are handed to the web side on the thread that sends them: encoding one and starting its write
        // never blocks, and it saves a hop per message.
        this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** The services with their methods, as the in-process server serves them. */
    List<io.grpc.ServerServiceDefinition> services() {
        return server.getServices();
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("in-process gRPC server for the web protocols did not start", e);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
