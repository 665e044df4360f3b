package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a {@code java -jar} process with calls open, observed from its clients: readiness and gRPC health flip
 * first, new calls are refused, calls in flight go on and finish within the grace period, health Watch streams end at
 * once, streams still open at its end get UNAVAILABLE, and the process exits cleanly by itself.
 */
class GracefulShutdownIT {

    private static final Duration GRACE = Duration.ofSeconds(6);
    private static final Duration SLACK = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final String GRACE_OVER = "gRPC grace period over";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void drainsOnSigterm() throws Exception {
        try (AppProcess app = AppProcess.start("--demo.enabled=false", "--chat.server-stream.interval=1s",
                "--grpc.server.shutdown-grace-period=" + GRACE.toSeconds() + "s")) {
            // Over HTTP first: a gRPC channel polled before the port opens backs off for up to two minutes.
            awaitHttpStatus(app, "/actuator/health/readiness", 200, STARTUP);
            ManagedChannel channel = app.channel();
            try {
                assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
                Events<HealthCheckResponse> watch = new Events<>();
                HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), watch);
                assertThat(watch.next()).isEqualTo(status(ServingStatus.SERVING));

                ChatServiceGrpc.ChatServiceStub chat = ChatServiceGrpc.newStub(channel);
                Events<ChatMessage> chatAnswers = new Events<>();
                StreamObserver<ChatMessage> chatRequests = chat.chat(chatAnswers);
                chatRequests.onNext(message("before"));
                assertThat(chatAnswers.next()).isEqualTo(message("Received: before"));

                Events<ChatMessage> clientStreamEnd = new Events<>();
                chat.clientStream(clientStreamEnd).onNext(message("never completed"));

                Events<ChatMessage> serverStream = new Events<>();
                chat.serverStream(message("go"), serverStream);
                assertThat(serverStream.next()).isEqualTo(message("Hello world"));

                CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> terminate(app));

                // Health flips first; the Watch then ends instead of holding the shutdown.
                assertThat(watch.next()).isEqualTo(status(ServingStatus.NOT_SERVING));
                assertThat(watch.next()).isEqualTo(Status.Code.UNAVAILABLE);
                Instant watchEnded = Instant.now();
                awaitHttpStatus(app, "/actuator/health/readiness", 503, TIMEOUT);
                assertThat(httpStatus(app, "/actuator/health/liveness")).as("liveness while draining").isEqualTo(200);

                // New calls are refused, on a new connection and on the one the open streams use.
                ManagedChannel fresh = app.channel();
                try {
                    assertRefused(fresh);
                    assertRefused(channel);
                } finally {
                    fresh.shutdownNow();
                }

                // Calls in flight go on: Chat still answers, the paced stream finishes all its messages.
                chatRequests.onNext(message("during"));
                assertThat(chatAnswers.next()).isEqualTo(message("Received: during"));
                assertThat(serverStream.next()).isEqualTo(message("This is server streaming grpc"));
                assertThat(serverStream.next()).isEqualTo(message("Good bye"));
                assertThat(serverStream.next()).isEqualTo(Status.Code.OK);

                // Streams still open when the grace period ends get a real status, not a reset.
                assertThat(chatAnswers.next()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(chatAnswers.lastDescription).isEqualTo(GrpcServerDrain.SHUTTING_DOWN);
                assertThat(clientStreamEnd.next()).isEqualTo(Status.Code.UNAVAILABLE);

                // 143 is the JVM's usual status after SIGTERM; both it and 0 are a clean stop.
                assertThat(exit.get(GRACE.plus(SLACK).toSeconds(), TimeUnit.SECONDS)).isIn(0, 143);
                assertThat(app.output()).contains("ended 2 open call(s) with UNAVAILABLE");
                // The server's own clock says when the grace period ended (its log line's time, same machine): the
                // Watch had ended at the start of it, not with the calls ended at its end.
                assertThat(watchEnded).as("the Watch ended long before the grace period was over")
                        .isBefore(loggedAt(app, GRACE_OVER).minus(GRACE.dividedBy(2)));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /** When the process logged the line containing {@code text} (the line's ISO-8601 timestamp). */
    private static Instant loggedAt(AppProcess app, String text) {
        String line = app.output().lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + text + "' in the log:\n" + app.output()));
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    private static int terminate(AppProcess app) {
        try {
            return app.terminate(GRACE.plus(SLACK));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(ManagedChannel channel) {
        assertThatThrownBy(() -> GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("late").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    /** Polls until {@code path} answers {@code expected}; a port not open yet, or a slow answer, counts as not yet. */
    private void awaitHttpStatus(AppProcess app, String path, int expected, Duration timeout) throws Exception {
        Instant end = Instant.now().plus(timeout);
        int status;
        while ((status = httpStatusOrNone(app, path)) != expected) {
            if (!app.isAlive() || Instant.now().isAfter(end)) {
                throw new AssertionError(path + " answered " + status + ", not " + expected + ", within " + timeout
                        + ":\n" + app.output());
            }
            Thread.sleep(50);
        }
    }

    private int httpStatusOrNone(AppProcess app, String path) throws Exception {
        try {
            return httpStatus(app, path);
        } catch (ConnectException | HttpTimeoutException notYet) {
            return -1;
        }
    }

    private int httpStatus(AppProcess app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HealthCheckResponse status(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }

    /** What one call hands its client, in order: each message, then the code it ended with. */
    private static final class Events<T> implements StreamObserver<T> {

        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private volatile String lastDescription;

        @Override
        public void onNext(T value) {
            events.add(value);
        }

        @Override
        public void onError(Throwable error) {
            Status status = Status.fromThrowable(error);
            lastDescription = status.getDescription();
            events.add(status.getCode());
        }

        @Override
        public void onCompleted() {
            events.add(Status.Code.OK);
        }

        Object next() throws InterruptedException {
            Object next = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next).as("an event within " + TIMEOUT).isNotNull();
            return next;
        }
    }
}
