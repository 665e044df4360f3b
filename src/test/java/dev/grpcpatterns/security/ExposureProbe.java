package dev.grpcpatterns.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What an unauthenticated stranger can see of a running service: its actuator over HTTP, its gRPC reflection. */
final class ExposureProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int httpPort;
    private final int grpcPort;

    ExposureProbe(int httpPort, int grpcPort) {
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
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

    /** The services gRPC reflection lists; throws {@link io.grpc.StatusRuntimeException} when it is off. */
    List<String> reflectedServices() throws InterruptedException {
        ManagedChannel channel = TestPki.plaintextChannel(grpcPort);
        try {
            CompletableFuture<ServerReflectionResponse> reply = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse response) {
                            reply.complete(response);
                        }

                        @Override
                        public void onError(Throwable error) {
                            reply.completeExceptionally(error);
                        }

                        @Override
                        public void onCompleted() {
                            reply.completeExceptionally(new IllegalStateException("no reflection response"));
                        }
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            requests.onCompleted();
            return reply.get(60, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName).toList();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reflection answer", e);
        } finally {
            channel.shutdownNow();
        }
    }
}
