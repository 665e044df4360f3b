package dev.grpcpatterns.chat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.errors.RichStatus;
import io.grpc.stub.StreamObserver;

/**
 * One ClientStream call: joins the texts with single spaces and answers once the client half-closes.
 * Past either limit it ends the call with RESOURCE_EXHAUSTED at once and ignores what still arrives, so the
 * text held never exceeds the limit.
 */
final class JoinedClientStream implements StreamObserver<ChatMessage> {

    private final StreamObserver<ChatMessage> response;
    private final ChatProperties.ClientStream limits;
    private final StringBuilder joined = new StringBuilder();
    private int messages;
    private boolean over;

    JoinedClientStream(StreamObserver<ChatMessage> response, ChatProperties.ClientStream limits) {
        this.response = response;
        this.limits = limits;
    }

    @Override
    public void onNext(ChatMessage message) {
        if (over) {
            return;
        }
        if (++messages > limits.maxMessages()) {
            reject("chat.client-stream.max-messages", limits.maxMessages(),
                    "more than " + limits.maxMessages() + " messages in one ClientStream call");
            return;
        }
        String text = message.getMessageText();
        int separator = messages == 1 ? 0 : 1;
        if ((long) joined.length() + separator + text.length() > limits.maxJoinedLength()) {
            reject("chat.client-stream.max-joined-length", limits.maxJoinedLength(),
                    "joined text longer than " + limits.maxJoinedLength() + " characters");
            return;
        }
        if (separator == 1) {
            joined.append(' ');
        }
        joined.append(text);
    }

    private void reject(String limit, int value, String description) {
        over = true;
        joined.setLength(0);
        joined.trimToSize();
        response.onError(RichStatus.resourceExhausted(limit, value, "CLIENT_STREAM_LIMIT_EXCEEDED", description));
    }

    @Override
    public void onError(Throwable cancelled) {
        // The client gave up: there is no one left to answer.
    }

    @Override
    public void onCompleted() {
        if (!over) {
            response.onNext(ChatService.message(joined.toString()));
            response.onCompleted();
        }
    }
}
