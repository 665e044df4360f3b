package dev.grpcpatterns.web;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * One web call: a real gRPC call on the in-process channel, whose replies are encoded for the web protocol and
 * handed to the client through a {@link SerialSink}. The next reply is requested only when the client side has taken
 * the last one (flow control end to end). The client going away cancels the call at once, so the service stops its
 * work (a paced stream's timer is removed) and the open-calls gauge goes down.
 *
 * <p>grpc-java's {@code ClientCall} is not thread-safe; the web side calls it from the container's threads and from
 * write completions, so those calls are synchronized here.
 */
final class WebCall extends ClientCall.Listener<byte[]> {

    private final ClientCall<byte[], byte[]> call;
    private final ResponseFormat format;
    private final SerialSink sink;
    private final Runnable finish;
    private final Runnable ended;
    private Runnable onReady = () -> { };
    private volatile Status ending;
    private boolean cancelled;
    private boolean abandoned;

    /**
     * @param format how the response is written
     * @param sink   where its bytes go
     * @param finish run once the last bytes have been taken (completes the HTTP response, closes the WebSocket)
     * @param ended  run once when the call has ended, however it ended (frees the caller's slot)
     */
    WebCall(Channel channel, WebMethod method, CallOptions options, ResponseFormat format, SerialSink sink,
            Runnable finish, Runnable ended) {
        this.call = channel.newCall(method.bytes(), options);
        this.format = format;
        this.sink = sink;
        this.finish = finish;
        this.ended = ended;
    }

    /** Runs {@code onReady} each time the call can take a request message again (for WebSocket clients). */
    WebCall whenReady(Runnable onReady) {
        this.onReady = onReady;
        return this;
    }

    synchronized void start(Metadata headers) {
        call.start(this, headers);
        call.request(1);
    }

    /** Sends a request message; none once cancelled (grpc-java refuses them, and the client is told the end). */
    synchronized void send(byte[] request) {
        if (!cancelled) {
            call.sendMessage(request);
        }
    }

    synchronized boolean isReady() {
        return call.isReady();
    }

    synchronized void halfClose() {
        if (!cancelled) {
            call.halfClose();
        }
    }

    synchronized void cancel(String why) {
        cancelled = true;
        call.cancel(why, null);
    }

    /**
     * Cancels the call for a client that is gone, or whose response the container is about to complete: its end is
     * written only if the call ends during the cancel, and never after, when the response may already be recycled.
     */
    synchronized void abandon(String why) {
        cancel(why);
        abandoned = true;
    }

    /** Cancels the call, and tells the client {@code status} rather than CANCELLED: the web side ended it. */
    void end(Status status) {
        ending = status;
        cancel(status.getDescription());
    }

    private synchronized void requestNext() {
        call.request(1);
    }

    @Override
    public void onHeaders(Metadata headers) {
        sink.send(format.headers(headers), () -> { });
    }

    @Override
    public void onMessage(byte[] message) {
        sink.send(format.message(message), this::requestNext);
    }

    @Override
    public void onReady() {
        onReady.run();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        ended.run();
        byte[] end;
        // The format writes the HTTP status and headers: under the lock that abandon() holds, so that the container
        // cannot complete (and recycle) the response in the middle (found by WebFuzzTest: Tomcat's
        // IllegalStateException "The response object has been recycled" thrown in onClose).
        synchronized (this) {
            if (abandoned) {
                return;
            }
            Status reported = ending != null ? ending : status;
            end = format.end(reported, ending != null ? new Metadata() : trailers);
        }
        sink.send(end, finish);
    }
}
