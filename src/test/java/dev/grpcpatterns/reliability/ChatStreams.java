package dev.grpcpatterns.reliability;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Small blocking helpers over ChatService's async stub for the reliability tests. */
final class ChatStreams {

    private ChatStreams() {
    }

    record Outcome(Status status, String reply) {
    }

    /** Sends {@code messages} texts m0..m(n-1) in one ClientStream call and returns how it ended. */
    static Outcome clientStream(Channel channel, int messages, Duration timeout) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        StreamObserver<ChatMessage> requests = ChatServiceGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .clientStream(new StreamObserver<>() {
                    private String reply;

                    @Override
                    public void onNext(ChatMessage value) {
                        reply = value.getMessageText();
                    }

                    @Override
                    public void onError(Throwable t) {
                        outcome.complete(new Outcome(Status.fromThrowable(t), reply));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.complete(new Outcome(Status.OK, reply));
                    }
                });
        for (int i = 0; i < messages; i++) {
            requests.onNext(ChatMessage.newBuilder().setMessageText("m" + i).build());
        }
        requests.onCompleted();
        return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static OpenChat open(Channel channel) {
        return new OpenChat(channel, null);
    }

    /** As {@link #open(Channel)}, with a deadline for the whole call. */
    static OpenChat open(Channel channel, Duration deadline) {
        return new OpenChat(channel, deadline);
    }

    /** A Chat call kept open by the test; closing it cancels the call if it has not ended. */
    static final class OpenChat implements ClientResponseObserver<ChatMessage, ChatMessage>, AutoCloseable {

        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> ended = new CompletableFuture<>();
        private ClientCallStreamObserver<ChatMessage> requests;

        private OpenChat(Channel channel, Duration deadline) {
            ChatServiceGrpc.ChatServiceStub stub = ChatServiceGrpc.newStub(channel);
            (deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)).chat(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ChatMessage> requestStream) {
            this.requests = requestStream;
        }

        void awaitEcho(String text, Duration timeout) throws InterruptedException {
            requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
            String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!("Received: " + text).equals(reply)) {
                throw new AssertionError("expected the echo of '" + text + "', got " + reply);
            }
        }

        void complete(Duration timeout) throws Exception {
            requests.onCompleted();
            Status status = ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!status.isOk()) {
                throw new AssertionError("chat ended with " + status);
            }
        }

        /** Sends {@code text} without waiting for its answer (which may never come). */
        void send(String text) {
            requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
        }

        /** Waits for the call to end, however it ends, and returns its status. */
        Status awaitEnd(Duration timeout) throws Exception {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onNext(ChatMessage value) {
            replies.add(value.getMessageText());
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        @Override
        public void close() {
            if (!ended.isDone()) {
                requests.cancel("test over", null);
            }
        }
    }
}
