package dev.grpcpatterns.chat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One ServerStream call: sends its messages one interval apart, only while the client can take them
 * ({@code isReady}), and stops at once when the call is cancelled or its deadline passes.
 *
 * <p>Three things wake it: the start of the call, the transport becoming ready again, and the pacing
 * timer. They run on different threads, so each takes the lock before touching the stream.
 */
final class PacedServerStream {

    private final ServerCallStreamObserver<ChatMessage> observer;
    private final List<ChatMessage> messages;
    private final Duration interval;
    private final PacingTimer pacing;

    private int next;
    private boolean due = true;
    private boolean done;
    private ScheduledFuture<?> timer;

    PacedServerStream(ServerCallStreamObserver<ChatMessage> observer, List<ChatMessage> messages,
            Duration interval, PacingTimer pacing) {
        this.observer = observer;
        this.messages = messages;
        this.interval = interval;
        this.pacing = pacing;
    }

    void start() {
        observer.setOnCancelHandler(this::cancel);
        observer.setOnReadyHandler(this::sendWhatIsDue);
        sendWhatIsDue();
    }

    private synchronized void sendWhatIsDue() {
        while (!done && due && observer.isReady()) {
            observer.onNext(messages.get(next++));
            if (next == messages.size()) {
                done = true;
                observer.onCompleted();
            } else if (!interval.isZero()) {
                due = false;
                timer = pacing.after(interval, this::tick);
            }
        }
    }

    private synchronized void tick() {
        due = true;
        sendWhatIsDue();
    }

    private synchronized void cancel() {
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
