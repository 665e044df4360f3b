package dev.grpcpatterns.scaling;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One bidi Chat stream kept open by a test: send a text and see its answer, complete it, or see how it ended. */
final class OpenChat {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final StreamEvents<ChatMessage> events = new StreamEvents<>();
    private final StreamObserver<ChatMessage> requests;

    private OpenChat(ChatServiceGrpc.ChatServiceStub chat) {
        this.requests = chat.withDeadlineAfter(5, TimeUnit.MINUTES).chat(events);
    }

    /** Opens a stream and proves it is served: its first text is answered. */
    static OpenChat open(ChatServiceGrpc.ChatServiceStub chat, String text) throws InterruptedException {
        OpenChat stream = new OpenChat(chat);
        stream.exchange(text);
        return stream;
    }

    /** Sends {@code text} and fails unless the server answers it. */
    void exchange(String text) throws InterruptedException {
        requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
        Object event = events.next(WAIT);
        if (!(event instanceof ChatMessage answer && answer.getMessageText().equals("Received: " + text))) {
            throw new AssertionError("'" + text + "' answered with " + event);
        }
    }

    /** Ends the client's side and returns the status the server closed the stream with. */
    Status complete() throws InterruptedException {
        requests.onCompleted();
        return awaitEnd();
    }

    /** Waits for the stream to end (for a stream on a dead replica: by itself) and returns its status. */
    Status awaitEnd() throws InterruptedException {
        Object event = events.next(WAIT);
        if (!(event instanceof Status status)) {
            throw new AssertionError("a message instead of the end: " + event);
        }
        return status;
    }

    /** Whether the stream has already ended, without waiting. */
    boolean ended() {
        return events.ended();
    }
}
