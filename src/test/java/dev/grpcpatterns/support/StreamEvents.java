package dev.grpcpatterns.support;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client's record of one response stream, in order: each message as it arrives, then how the stream ended as a
 * {@link Status} ({@link Status#OK} itself when completed, the error's status otherwise).
 */
public final class StreamEvents<T> implements StreamObserver<T> {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T message) {
        events.add(message);
    }

    @Override
    public void onError(Throwable error) {
        events.add(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
        events.add(Status.OK);
    }

    /** The next message or end; fails the test if none arrives within {@code timeout}. */
    public Object next(Duration timeout) throws InterruptedException {
        Object event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("nothing on the stream within " + timeout);
        }
        return event;
    }

    /** Whether nothing has arrived that was not taken yet. */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** Whether the stream has already ended, without waiting. */
    public boolean ended() {
        return events.stream().anyMatch(Status.class::isInstance);
    }
}
