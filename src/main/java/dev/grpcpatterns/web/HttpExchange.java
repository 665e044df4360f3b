package dev.grpcpatterns.web;

import io.grpc.Status;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One gRPC-Web or Connect request on the servlet container, non-blocking both ways, so that it holds a container
 * thread only while bytes are moving (the HTTP port's few threads stay free for probes, however many calls are open):
 * the body is read as it arrives (up to a limit), the response written as the client takes it ({@code isReady}) and
 * flushed as soon as nothing more is at hand, so a paced stream arrives paced and replies that come back to back share
 * one write. The client closing the connection ({@link HangUps}), a
 * write failing, the container reporting an error, or the time limit passing cancels the call.
 */
final class HttpExchange implements SerialSink.Transport, ReadListener, WriteListener, AsyncListener {

    private final AsyncContext async;
    private final ServletInputStream in;
    private final ServletOutputStream out;
    private final long maxBody;
    private final Consumer<byte[]> onBody;
    private final Consumer<WebProtocolException> onBadBody;
    private final Runnable onDone;
    private final HangUps hangUps;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];
    private final SerialSink sink = new SerialSink(this);
    private volatile WebCall call;
    private volatile HangUps.Watch watch;
    private final AtomicBoolean finished = new AtomicBoolean();
    private boolean unflushed;
    private boolean tooLarge;

    /**
     * @param onBody    gets the whole body once read
     * @param onBadBody gets the reason when the body is over the limit
     * @param onDone    runs once the exchange is over, however it ended
     * @param hangUps   watches the connection, once the body is read, for the client closing it
     */
    HttpExchange(AsyncContext async, long maxBody, Consumer<byte[]> onBody, Consumer<WebProtocolException> onBadBody,
            Runnable onDone, HangUps hangUps) throws IOException {
        this.async = async;
        this.in = async.getRequest().getInputStream();
        this.out = async.getResponse().getOutputStream();
        this.maxBody = maxBody;
        this.onBody = onBody;
        this.onBadBody = onBadBody;
        this.onDone = onDone;
        this.hangUps = hangUps;
        async.addListener(this);
    }

    /** Starts reading the body and accepting writes (container thread). */
    void begin() {
        in.setReadListener(this);
        out.setWriteListener(this);
    }

    SerialSink sink() {
        return sink;
    }

    void attach(WebCall call) {
        this.call = call;
    }

    /** Completes the response once its last bytes are out. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            stopWatching();
            async.complete();
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!tooLarge && in.isReady() && !in.isFinished()) {
            int read = in.read(buffer);
            if (read < 0) {
                return;
            }
            if (body.size() + read > maxBody) {
                // Answered now; the rest of the body is never read (Tomcat drops the connection after the answer).
                tooLarge = true;
                onBadBody.accept(new WebProtocolException(Status.Code.RESOURCE_EXHAUSTED,
                        "request body is larger than the limit of " + maxBody + " bytes"));
                return;
            }
            body.write(buffer, 0, read);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!tooLarge) {
            onBody.accept(body.toByteArray());
            if (!finished.get()) {
                watch = hangUps.watch((HttpServletRequest) async.getRequest(),
                        () -> clientGone("the client closed the connection"));
                if (finished.get()) {
                    stopWatching(); // finished while the watch began
                }
            }
        }
    }

    /** Taken once Tomcat's buffer holds the bytes and can take more; they leave at {@link #idle()} at the latest. */
    @Override
    public boolean ready() {
        return out.isReady();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (finished.get()) {
            throw new IOException("the response is already complete");
        }
        out.write(bytes);
        unflushed = true;
    }

    @Override
    public void idle() throws IOException {
        if (unflushed && !finished.get() && out.isReady()) {
            unflushed = false;
            out.flush();
        }
    }

    @Override
    public void onWritePossible() {
        sink.resume();
    }

    @Override
    public void failed(IOException cause) {
        clientGone("the client went away: " + cause.getMessage());
    }

    @Override
    public void onError(Throwable failure) {
        clientGone("the client went away: " + failure);
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone("the client went away: " + event.getThrowable());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        clientGone("web.max-call-duration passed");
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finished.set(true);
        clientGone("response completed");
        onDone.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Started once, by the servlet.
    }

    private void clientGone(String why) {
        WebCall current = call;
        if (current != null) {
            current.abandon(why);
        }
        stopWatching();
        if (finished.compareAndSet(false, true)) {
            async.complete();
        }
    }

    private void stopWatching() {
        HangUps.Watch current = watch;
        if (current != null) {
            current.stop();
        }
    }
}
