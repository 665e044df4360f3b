package dev.grpcpatterns.chat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One Chat call: answers each message with {@code Received: <text>} before reading the next, and reads
 * the next only while the client keeps up with the answers (grpc-java's manual flow control pattern).
 * All callbacks of one call run serialized by grpc-java, so no lock is needed.
 *
 * <p>Like the article's server it tells of every message ({@link ChatMessageLog}).
 */
final class EchoChat implements StreamObserver<ChatMessage> {

    private static final String PREFIX = "Received: ";

    private final ServerCallStreamObserver<ChatMessage> responses;
    private final ChatMessageLog messages;
    private boolean waitingForReady;

    EchoChat(ServerCallStreamObserver<ChatMessage> responses, ChatMessageLog messages) {
        this.responses = responses;
        this.messages = messages;
        responses.disableAutoRequest();
        responses.setOnCancelHandler(() -> {
            // Nothing is pending, so nothing to free. The handler's presence is what counts: with it, an answer
            // racing a cancel is dropped by grpc-java instead of thrown as CANCELLED.
        });
        responses.setOnReadyHandler(this::readNextWhenReady);
        responses.request(1);
    }

    @Override
    public void onNext(ChatMessage message) {
        messages.received(message.getMessageText());
        responses.onNext(ChatService.message(PREFIX + message.getMessageText()));
        waitingForReady = true;
        readNextWhenReady();
    }

    private void readNextWhenReady() {
        if (waitingForReady && responses.isReady()) {
            waitingForReady = false;
            responses.request(1);
        }
    }

    @Override
    public void onError(Throwable cancelled) {
        // The client cancelled: the call is over and can carry no more replies.
    }

    @Override
    public void onCompleted() {
        responses.onCompleted();
    }
}
