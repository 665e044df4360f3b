package dev.grpcpatterns.chat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chat call: answers each message with {@code Received: <text>} before reading the next, and reads
 * the next only while the client keeps up with the answers (grpc-java's manual flow control pattern).
 * All callbacks of one call run serialized by grpc-java, so no lock is needed.
 *
 * <p>Like the article's server it tells of every message, as {@code Client Message: <text>} at INFO under the logger
 * {@value #MESSAGES_LOGGER}, a logger of its own so that it can be switched off alone (the prod profile does). The
 * text is the caller's: it goes in cut and escaped ({@link LoggedText}).
 */
final class EchoChat implements StreamObserver<ChatMessage> {

    static final String MESSAGES_LOGGER = "dev.grpcpatterns.chat.messages";

    private static final Logger messages = LoggerFactory.getLogger(MESSAGES_LOGGER);
    private static final String PREFIX = "Received: ";

    private final ServerCallStreamObserver<ChatMessage> responses;
    private boolean waitingForReady;

    EchoChat(ServerCallStreamObserver<ChatMessage> responses) {
        this.responses = responses;
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
        // With the logger off, nothing is built or escaped (one level check per message).
        if (messages.isInfoEnabled()) {
            messages.info("Client Message: {}", LoggedText.of(message.getMessageText()));
        }
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
