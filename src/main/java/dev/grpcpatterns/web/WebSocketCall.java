package dev.grpcpatterns.web;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * One call over one WebSocket, in improbable-eng's {@code grpc-websockets} framing. From the client: first its
 * headers as a header block ({@code key: value} CRLF lines), then binary messages that start with 0x00 followed by
 * gRPC-Web frames, and a single 0x01 when it has sent everything (half-close). To the client: the response headers as
 * a 0x80 frame, each reply as a frame in a message of its own, the trailers as a 0x80 frame, then a normal close.
 *
 * <p>Flow control both ways: a reply is requested from the call only once the last one has been sent; a client
 * message goes to the call only while the call can take it ({@code isReady}), and at most {@code
 * web.max-pending-messages} wait, beyond which the call ends with RESOURCE_EXHAUSTED. A send that does not complete
 * within {@code web.idle-timeout}, or a socket quiet for that long, ends the call; a close by the client cancels it.
 */
final class WebSocketCall extends Endpoint implements MessageHandler.Whole<ByteBuffer>, SerialSink.Transport {

    private static final byte MESSAGE = 0;
    private static final byte HALF_CLOSE = 1;

    private final Channel channel;
    private final WebMethod method;
    private final WebProperties properties;
    private final int maxMessage;
    private final Status refused;
    private final Runnable release;
    private final SerialSink sink = new SerialSink(this);
    private final LengthPrefixedFrames frames;
    private final Queue<byte[]> pending = new ArrayDeque<>();
    private Session session;
    private WebCall call;
    private int requests;
    private boolean halfClosePending;
    private boolean halfClosed;
    private boolean answered;
    private volatile boolean sending;

    /**
     * @param refused a status to answer with at once instead of calling (over the caller's cap), or null
     * @param release frees the caller's slot; run once the call is over
     */
    WebSocketCall(Channel channel, WebMethod method, WebProperties properties, int maxMessage, Status refused,
            Runnable release) {
        this.channel = channel;
        this.method = method;
        this.properties = properties;
        this.maxMessage = maxMessage;
        this.refused = refused;
        this.release = release;
        this.frames = new LengthPrefixedFrames(maxMessage);
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxIdleTimeout(properties.idleTimeout().toMillis());
        // The 0x00 marker and the frame prefix come on top of the largest message.
        session.setMaxBinaryMessageBufferSize(maxMessage + 1 + LengthPrefixedFrames.PREFIX);
        session.getAsyncRemote().setSendTimeout(properties.idleTimeout().toMillis());
        session.addMessageHandler(ByteBuffer.class, this);
        if (refused != null) {
            answerWithoutCall(refused);
        }
    }

    @Override
    public synchronized void onMessage(ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        try {
            if (answered) {
                return; // answered without a call: whatever else comes is not read
            }
            if (call == null) {
                startCall(bytes);
            } else if (bytes.length > 0 && bytes[0] == MESSAGE) {
                for (LengthPrefixedFrames.Frame frame : frames.feed(bytes, 1, bytes.length - 1)) {
                    if (frame.flags() != 0) {
                        throw new WebProtocolException(Status.Code.INVALID_ARGUMENT, "request frame with flags 0x"
                                + Integer.toHexString(frame.flags()) + ": only messages (flags 0) may be sent");
                    }
                    accept(frame.payload());
                }
            } else if (bytes.length == 1 && bytes[0] == HALF_CLOSE) {
                if (requests == 0 && method.singleRequest()) {
                    throw oneRequest("none came");
                }
                halfClosePending = true;
                sendPending();
            } else {
                throw new WebProtocolException(Status.Code.INVALID_ARGUMENT,
                        "WebSocket message is neither a message (0x00 ...) nor the end of the requests (0x01)");
            }
        } catch (WebProtocolException bad) {
            if (call == null) {
                answerWithoutCall(bad.status());
            } else {
                call.end(bad.status());
            }
        }
    }

    private void startCall(byte[] headerBlock) {
        Metadata headers = new Metadata();
        long[] timeout = {-1};
        WebMetadata.Block.parse(headerBlock, (name, value) -> {
            if (name.equalsIgnoreCase("grpc-timeout")) {
                timeout[0] = WebProtocol.timeoutNanos("grpc-timeout", value);
            } else {
                WebMetadata.add(headers, name, value);
            }
        });
        CallOptions options = timeout[0] < 0 ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withDeadlineAfter(timeout[0], TimeUnit.NANOSECONDS);
        call = new WebCall(channel, method, options, GrpcWebFormat.webSocket(), sink, this::close, release)
                .whenReady(this::sendPending);
        call.start(headers);
    }

    private void accept(byte[] request) {
        if (halfClosePending) {
            throw new WebProtocolException(Status.Code.INVALID_ARGUMENT, "message after the end of the requests");
        }
        if (++requests > 1 && method.singleRequest()) {
            throw oneRequest("a second came");
        }
        pending.add(request);
        if (pending.size() > properties.maxPendingMessages()) {
            pending.clear();
            throw new WebProtocolException(Status.Code.RESOURCE_EXHAUSTED, "more than "
                    + properties.maxPendingMessages() + " messages sent ahead of the service taking them "
                    + "(web.max-pending-messages)");
        }
        sendPending();
    }

    /** grpc-java would end such a call INTERNAL ("Half-closed without a request", "Too many requests"). */
    private WebProtocolException oneRequest(String what) {
        return new WebProtocolException(Status.Code.INVALID_ARGUMENT,
                method.path() + " takes one request message before the end of the requests: " + what);
    }

    /**
     * Hands waiting messages to the call while it can take them; then the half-close, if the client sent it. A method
     * that takes one request gets it at once: grpc-java reports readiness only to calls that stream requests, and one
     * message is bounded by the size limit anyway.
     */
    private synchronized void sendPending() {
        while (!pending.isEmpty() && (method.singleRequest() || call.isReady())) {
            call.send(pending.poll());
        }
        if (pending.isEmpty() && halfClosePending && !halfClosed) {
            halfClosed = true;
            call.halfClose();
        }
    }

    /** A status for the client although no call runs: trailers-only, then close. */
    private synchronized void answerWithoutCall(Status status) {
        answered = true;
        release.run();
        sink.send(GrpcWebFormat.webSocket().end(status, new Metadata()), this::close);
    }

    @Override
    public boolean ready() {
        return !sending;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        sending = true;
        try {
            session.getAsyncRemote().sendBinary(ByteBuffer.wrap(bytes), result -> {
                sending = false;
                if (result.isOK()) {
                    sink.resume();
                } else {
                    failed(new IOException("WebSocket send failed", result.getException()));
                }
            });
        } catch (IllegalStateException closed) {
            // Tomcat refuses a send on a session already closed (by the client, or after the call's end).
            sending = false;
            throw new IOException("the WebSocket is closed", closed);
        }
    }

    @Override
    public void failed(IOException cause) {
        cancel("the client went away: " + cause.getMessage());
        close();
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        cancel("the client closed the WebSocket: " + reason.getCloseCode());
        release.run();
    }

    @Override
    public void onError(Session session, Throwable failure) {
        cancel("WebSocket failed: " + failure);
    }

    private synchronized void cancel(String why) {
        if (call != null) {
            call.cancel(why);
        }
    }

    private void close() {
        try {
            session.close();
        } catch (IOException alreadyGone) {
            // Closing a socket that is gone: nothing is left to free.
        }
    }
}
