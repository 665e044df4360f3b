package dev.grpcpatterns.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinedClientStreamTest {

    private final Recorder response = new Recorder();

    @Test
    void joinsUpToTheLimitsWithSingleSpaces() {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(3, 8));

        send(stream, "ab", "cd", "ef");
        stream.onCompleted();

        assertThat(response.replies).containsExactly("ab cd ef");
        assertThat(response.completed).isTrue();
        assertThat(response.error).isNull();
    }

    @Test
    void emptyTextsStillGetTheirSeparator() {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(3, 8));

        send(stream, "", "a", "");
        stream.onCompleted();

        assertThat(response.replies).containsExactly(" a ");
    }

    @Test
    void oneMessageTooManyIsResourceExhaustedAndTheRestIsIgnored() {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(2, 100));

        send(stream, "a", "b", "c", "d");
        stream.onCompleted();

        assertThat(response.error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(response.error.getDescription()).isEqualTo("more than 2 messages in one ClientStream call");
        assertThat(response.replies).isEmpty();
        assertThat(response.completed).isFalse();
    }

    @Test
    void aJoinedTextOverTheLengthIsResourceExhausted() {
        JoinedClientStream stream = new JoinedClientStream(response, new ChatProperties.ClientStream(10, 8));

        send(stream, "abcd", "efgh");
        stream.onCompleted();

        assertThat(response.error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(response.error.getDescription()).isEqualTo("joined text longer than 8 characters");
        assertThat(response.replies).isEmpty();
    }

    private static void send(JoinedClientStream stream, String... texts) {
        for (String text : texts) {
            stream.onNext(ChatService.message(text));
        }
    }

    private static final class Recorder implements StreamObserver<ChatMessage> {

        final List<String> replies = new ArrayList<>();
        Status error;
        boolean completed;

        @Override
        public void onNext(ChatMessage value) {
            replies.add(value.getMessageText());
        }

        @Override
        public void onError(Throwable t) {
            if (error != null) {
                throw new AssertionError("a second onError");
            }
            error = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }
}
