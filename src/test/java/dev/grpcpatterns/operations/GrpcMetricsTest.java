package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * Every RPC kind, a failed call and a stream the client cancels, counted once each in the Prometheus scrape over real
 * HTTP, with method, status code and messages in and out.
 */
@ServiceTest
class GrpcMetricsTest {

    private static final String CHAT = "grpcpatterns.v1.ChatService";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    private TestRestTemplate http;

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceBlockingStub chatBlocking;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceStub chat;

    @Test
    void eachCallIsMeasuredOnceWithItsStatusAndMessages() throws Exception {
        Map<String, Double> before = scrape();

        greeter.withDeadlineAfter(10, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("metrics").build());
        assertThatThrownBy(() -> greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName(" ").build()))
                .isInstanceOf(StatusRuntimeException.class);
        chatBlocking.withDeadlineAfter(10, TimeUnit.SECONDS).serverStream(message("go")).forEachRemaining(m -> { });
        assertThat(cancelServerStreamAfterFirstMessage().getCode()).isEqualTo(Status.Code.CANCELLED);
        streamAndComplete(observer -> chat.withDeadlineAfter(10, TimeUnit.SECONDS).clientStream(observer), 3);
        streamAndComplete(observer -> chat.withDeadlineAfter(10, TimeUnit.SECONDS).chat(observer), 2);

        // The server learns of the cancellation asynchronously: wait for it to be counted.
        Map<String, Double> after = scrapeUntil(now -> delta(before, now, calls(CHAT, "ServerStream", "CANCELLED")) >= 1);

        assertThat(delta(before, after, calls("grpcpatterns.v1.Greeter", "SayHello", "OK"))).isEqualTo(1);
        assertThat(delta(before, after, calls("grpcpatterns.v1.Greeter", "SayHello", "INVALID_ARGUMENT"))).isEqualTo(1);
        assertThat(delta(before, after, calls(CHAT, "ServerStream", "OK"))).isEqualTo(1);
        assertThat(delta(before, after, calls(CHAT, "ServerStream", "CANCELLED"))).isEqualTo(1);
        assertThat(delta(before, after, calls(CHAT, "ClientStream", "OK"))).isEqualTo(1);
        assertThat(delta(before, after, calls(CHAT, "Chat", "OK"))).isEqualTo(1);

        // The completed stream sent its three messages, the cancelled one at least one.
        assertThat(delta(before, after, messages("responses_sent", CHAT, "ServerStream"))).isGreaterThanOrEqualTo(4);
        assertThat(delta(before, after, messages("requests_received", CHAT, "ClientStream"))).isEqualTo(3);
        assertThat(delta(before, after, messages("responses_sent", CHAT, "ClientStream"))).isEqualTo(1);
        assertThat(delta(before, after, messages("requests_received", CHAT, "Chat"))).isEqualTo(2);
        assertThat(delta(before, after, messages("responses_sent", CHAT, "Chat"))).isEqualTo(2);

        // One family of server meters: neither net.devh's A66 tracers nor the Observation interceptor.
        assertThat(after.keySet()).noneMatch(key -> key.startsWith("grpc_server_call_"))
                .noneMatch(key -> key.startsWith("grpc_server_seconds"));
    }

    private Status cancelServerStreamAfterFirstMessage() throws Exception {
        End end = new End(true);
        chat.withDeadlineAfter(10, TimeUnit.SECONDS).serverStream(message("go"), end);
        return end.await();
    }

    private interface Call {
        StreamObserver<ChatMessage> start(StreamObserver<ChatMessage> responses);
    }

    private static void streamAndComplete(Call call, int count) throws Exception {
        End end = new End(false);
        StreamObserver<ChatMessage> requests = call.start(end);
        for (int i = 0; i < count; i++) {
            requests.onNext(message("m" + i));
        }
        requests.onCompleted();
        assertThat(end.await()).isEqualTo(Status.OK);
    }

    /** The status a call ends with; optionally cancels the call when its first message arrives. */
    private static final class End implements ClientResponseObserver<ChatMessage, ChatMessage> {

        private final CompletableFuture<Status> status = new CompletableFuture<>();
        private final boolean cancelAtFirstMessage;
        private ClientCallStreamObserver<ChatMessage> call;

        End(boolean cancelAtFirstMessage) {
            this.cancelAtFirstMessage = cancelAtFirstMessage;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ChatMessage> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(ChatMessage value) {
            if (cancelAtFirstMessage) {
                call.cancel("the test has seen enough", null);
            }
        }

        @Override
        public void onError(Throwable error) {
            status.complete(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            status.complete(Status.OK);
        }

        Status await() throws Exception {
            return status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String calls(String service, String method, String status) {
        return "grpc_server_processing_duration_seconds_count{method=\"" + method + "\",methodType=\"" + type(method)
                + "\",service=\"" + service + "\",statusCode=\"" + status + "\"}";
    }

    private static String messages(String family, String service, String method) {
        return "grpc_server_" + family + "_messages_total{method=\"" + method + "\",methodType=\"" + type(method)
                + "\",service=\"" + service + "\"}";
    }

    private static String type(String method) {
        return switch (method) {
            case "SayHello" -> "UNARY";
            case "ServerStream" -> "SERVER_STREAMING";
            case "ClientStream" -> "CLIENT_STREAMING";
            default -> "BIDI_STREAMING";
        };
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private Map<String, Double> scrapeUntil(Predicate<Map<String, Double>> done) throws Exception {
        Instant end = Instant.now().plus(TIMEOUT);
        Map<String, Double> now = scrape();
        while (!done.test(now) && Instant.now().isBefore(end)) {
            Thread.sleep(100);
            now = scrape();
        }
        return now;
    }

    /** The Prometheus text format: one {@code name{labels} value} per line, comments start with '#'. */
    private Map<String, Double> scrape() {
        String body = http.getForObject("/actuator/prometheus", String.class);
        Map<String, Double> series = new HashMap<>();
        body.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return series;
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
