package dev.grpcpatterns.reliability;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Chat stream sending {@code name-0 .. name-(messages-1)} with at most {@code window} texts unanswered; each
 * answer must be the next expected one, and the call must end OK after the last. Anything else goes to
 * {@code failures}.
 */
final class SequencedChat implements ClientResponseObserver<ChatMessage, ChatMessage> {

    private final String name;
    private final int messages;
    private final int window;
    private final Queue<String> failures;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ClientCallStreamObserver<ChatMessage> requests;
    private int sent;
    private int received;

    private SequencedChat(String name, int messages, int window, Queue<String> failures) {
        this.name = name;
        this.messages = messages;
        this.window = window;
        this.failures = failures;
    }

    /** Starts the stream; the future completes when it has ended, however it ended. */
    static CompletableFuture<Void> start(String name, Channel channel, int messages, int window, Duration deadline,
            Queue<String> failures) {
        SequencedChat chat = new SequencedChat(name, messages, window, failures);
        ChatServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).chat(chat);
        chat.sendMore();
        return chat.done;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ChatMessage> requestStream) {
        requests = requestStream;
    }

    private synchronized void sendMore() {
        while (sent < messages && sent - received < window) {
            requests.onNext(ChatMessage.newBuilder().setMessageText(name + "-" + sent++).build());
        }
    }

    @Override
    public synchronized void onNext(ChatMessage reply) {
        String expected = "Received: " + name + "-" + received;
        if (!reply.getMessageText().equals(expected)) {
            failures.add(name + ": expected '" + expected + "', got '" + reply.getMessageText() + "'");
            requests.cancel("out of order", null);
            return;
        }
        if (++received == messages) {
            requests.onCompleted();
        } else {
            sendMore();
        }
    }

    @Override
    public void onError(Throwable t) {
        failures.add(name + " ended with " + Status.fromThrowable(t));
        done.complete(null);
    }

    @Override
    public synchronized void onCompleted() {
        if (received != messages) {
            failures.add(name + " completed after " + received + " of " + messages + " answers");
        }
        done.complete(null);
    }
}
