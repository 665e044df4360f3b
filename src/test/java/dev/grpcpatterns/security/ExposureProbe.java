package dev.grpcpatterns.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusException;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.BlockingClientCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/** What an unauthenticated stranger can see of the running service: its actuator over HTTP, its gRPC reflection. */
@TestComponent
class ExposureProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Environment environment;
    private volatile int grpcPort = -1;

    ExposureProbe(Environment environment) {
        this.environment = environment;
    }

    @EventListener
    void grpcServerStarted(GrpcServerStartedEvent event) {
        grpcPort = event.getPort();
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** GET with {@code Authorization: Bearer <token>}. */
    HttpResponse<String> get(String path, String bearerToken) {
        return send(request(path).header("Authorization", "Bearer " + bearerToken).GET());
    }

    /** POST of a JSON body, as the actuator's write operations (loggers) take it. */
    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        int httpPort = environment.getRequiredProperty("local.server.port", Integer.class);
        return HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode getJson(String path) {
        try {
            return JSON.readTree(get(path).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint ids the actuator's discovery page links to ({@code health-path} counts as {@code health}). */
    Set<String> exposedEndpoints() {
        Set<String> ids = new TreeSet<>();
        getJson("/actuator").get("_links").fieldNames().forEachRemaining(link -> ids.add(link.split("-")[0]));
        ids.remove("self");
        return ids;
    }

    /**
     * The services gRPC reflection lists when asked by {@code grpc.reflection.v1alpha}, over plaintext; a
     * {@link StatusException} when reflection is off.
     */
    List<String> reflectedServices() throws InterruptedException, StatusException {
        ManagedChannel channel = TestPki.plaintextChannel(grpcPort);
        try {
            BlockingClientCall<ServerReflectionRequest, ServerReflectionResponse> call =
                    ServerReflectionGrpc.newBlockingV2Stub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .serverReflectionInfo();
            call.write(ServerReflectionRequest.newBuilder().setListServices("").build());
            call.halfClose();
            return call.read().getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName).toList();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The same, asked by the standard {@code grpc.reflection.v1}. */
    List<String> reflectedServicesV1() throws InterruptedException, StatusException {
        ManagedChannel channel = TestPki.plaintextChannel(grpcPort);
        try {
            BlockingClientCall<io.grpc.reflection.v1.ServerReflectionRequest,
                    io.grpc.reflection.v1.ServerReflectionResponse> call =
                    io.grpc.reflection.v1.ServerReflectionGrpc.newBlockingV2Stub(channel)
                            .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo();
            call.write(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
            call.halfClose();
            return call.read().getListServicesResponse().getServiceList().stream()
                    .map(io.grpc.reflection.v1.ServiceResponse::getName).toList();
        } finally {
            channel.shutdownNow();
        }
    }
}
