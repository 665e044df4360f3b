package dev.grpcpatterns.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.ServiceTest;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The three streaming patterns over a real Netty port (ServerStream paced at 100 ms here). */
@ServiceTest
class ChatServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceBlockingStub blocking;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceStub async;

    @Test
    void serverStreamSendsTheConfiguredMessagesOneIntervalApart() {
        List<String> texts = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        blocking.serverStream(message("start")).forEachRemaining(reply -> {
            arrivals.add(System.nanoTime());
            texts.add(reply.getMessageText());
        });

        assertThat(texts).containsExactly("Hello world", "This is server streaming grpc", "Good bye");
        for (int i = 1; i < arrivals.size(); i++) {
            // 100 ms apart; the lower bound leaves room for a late delivery of the previous message.
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)))
                    .isBetween(Duration.ofMillis(50), Duration.ofSeconds(2));
        }
    }

    @Test
    void clientStreamJoinsTheTextsWithSingleSpaces() throws Exception {
        assertThat(clientStream(List.of("msg1", "msg2", "msg3"))).isEqualTo("msg1 msg2 msg3");
    }

    @Test
    void clientStreamWithoutMessagesRepliesWithAnEmptyText() throws Exception {
        assertThat(clientStream(List.of())).isEmpty();
    }

    @Test
    void clientStreamJoinsManyMessagesInOrder() throws Exception {
        List<String> texts = IntStream.range(0, 5_000).mapToObj(i -> "m" + i).toList();
        assertThat(clientStream(texts)).isEqualTo(String.join(" ", texts));
    }

    @Test
    void chatAnswersEachMessageBeforeTheNextIsSent() throws Exception {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        StreamObserver<ChatMessage> requests = async.chat(events);

        for (int i = 0; i < 200; i++) {
            assertThat(events.isEmpty()).as("nothing arrives unasked").isTrue();
            requests.onNext(message("text " + i));
            assertThat(events.next(WAIT)).isEqualTo(message("Received: text " + i));
        }
        requests.onCompleted();
        assertThat(events.next(WAIT)).isSameAs(Status.OK);
    }

    /** The article's server prints each message it receives; the service logs the same line. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void chatLogsTheArticlesServerLineForEveryMessage(CapturedOutput output) throws Exception {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        StreamObserver<ChatMessage> requests = async.chat(events);
        for (String text : List.of("Hello grpc!", "Is it working good?")) {
            requests.onNext(message(text));
            assertThat(events.next(WAIT)).isEqualTo(message("Received: " + text));
        }
        requests.onCompleted();
        assertThat(events.next(WAIT)).isSameAs(Status.OK);

        assertThat(output.getOut().lines().filter(line -> line.contains(ChatMessageLog.LOGGER)))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains(" INFO "))
                .satisfiesExactly(
                        line -> assertThat(line).endsWith(": Client Message: Hello grpc!"),
                        line -> assertThat(line).endsWith(": Client Message: Is it working good?"));
    }

    private String clientStream(List<String> texts) throws Exception {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        StreamObserver<ChatMessage> requests = async.clientStream(events);
        texts.forEach(text -> requests.onNext(message(text)));
        requests.onCompleted();
        Object reply = events.next(WAIT);
        assertThat(reply).isInstanceOf(ChatMessage.class);
        assertThat(events.next(WAIT)).isSameAs(Status.OK);
        return ((ChatMessage) reply).getMessageText();
    }

    static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
