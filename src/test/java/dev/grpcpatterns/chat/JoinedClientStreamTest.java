package dev.grpcpatterns.chat;

import static dev.grpcpatterns.chat.ChatService.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JoinedClientStreamTest {

    // The stream answers on the calling thread: every event is there before next() is asked.
    private static final Duration NOW = Duration.ZERO;

    private final StreamEvents<ChatMessage> response = new StreamEvents<>();

    @Test
    void joinsUpToTheLimitsWithSingleSpaces() throws InterruptedException {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(3, 8));

        send(stream, "ab", "cd", "ef");
        stream.onCompleted();

        assertThat(response.next(NOW)).isEqualTo(message("ab cd ef"));
        assertThat(response.next(NOW)).isSameAs(Status.OK);
        assertThat(response.isEmpty()).isTrue();
    }

    @Test
    void emptyTextsStillGetTheirSeparator() throws InterruptedException {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(3, 8));

        send(stream, "", "a", "");
        stream.onCompleted();

        assertThat(response.next(NOW)).isEqualTo(message(" a "));
    }

    @Test
    void oneMessageTooManyIsResourceExhaustedAndTheRestIsIgnored() throws InterruptedException {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(2, 100));

        send(stream, "a", "b", "c", "d");
        stream.onCompleted();

        assertResourceExhaustedOnly("more than 2 messages in one ClientStream call");
    }

    @Test
    void aJoinedTextOverTheLengthIsResourceExhausted() throws InterruptedException {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(10, 8));

        send(stream, "abcd", "efgh");
        stream.onCompleted();

        assertResourceExhaustedOnly("joined text longer than 8 characters");
    }

    /** No reply, one RESOURCE_EXHAUSTED end, and nothing after it (no completion, no second error). */
    private void assertResourceExhaustedOnly(String description) throws InterruptedException {
        Status end = (Status) response.next(NOW);
        assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(end.getDescription()).isEqualTo(description);
        assertThat(response.isEmpty()).isTrue();
    }

    private static void send(JoinedClientStream stream, String... texts) {
        for (String text : texts) {
            stream.onNext(message(text));
        }
    }
}
