package dev.grpcpatterns.web;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The web protocols' entrance at {@code /<package.Service>/<Method>}: a WebSocket upgrade goes to {@link
 * WebSocketCalls}; a POST is gRPC-Web or Connect by its content type, read and answered without blocking, and becomes
 * one real gRPC call on the in-process server. Whatever the request gets wrong is answered in its own protocol with a
 * status that says what, never with a stack trace.
 */
final class WebCallServlet extends HttpServlet {

    /** The container's time limit is a backstop: the call's deadline, at most {@code web.max-call-duration}, is first. */
    private static final long BACKSTOP_MILLIS = 10_000;

    private final transient WebMethods methods;
    private final transient Channel channel;
    private final transient Origins origins;
    private final transient CallerSlots slots;
    private final transient WebSocketCalls webSockets;
    private final transient HangUps hangUps;
    private final long maxCallNanos;
    private final int maxMessage;

    WebCallServlet(WebMethods methods, Channel channel, Origins origins, CallerSlots slots, WebSocketCalls webSockets,
            HangUps hangUps, WebProperties properties, int maxMessage) {
        this.methods = methods;
        this.channel = channel;
        this.origins = origins;
        this.slots = slots;
        this.webSockets = webSockets;
        this.hangUps = hangUps;
        this.maxCallNanos = properties.maxCallDuration().toNanos();
        this.maxMessage = maxMessage;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebMethod method = methods.at(request.getRequestURI().substring(request.getContextPath().length()));
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            webSockets.upgrade(request, response, method);
            return;
        }
        if (!origins.allow(request, response)) {
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            plain(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "web calls are POST requests");
            return;
        }
        WebProtocol.Kind kind = WebProtocol.of(request.getContentType());
        if (kind == null) {
            response.setHeader("Accept-Post", WebProtocol.SUPPORTED);
            plain(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "content type " + request.getContentType() + " is not supported: use " + WebProtocol.SUPPORTED);
            return;
        }
        ResponseFormat format = kind.protocol().format(response, kind, method);
        Status refused = refusal(request, kind, method);
        if (refused != null) {
            refuse(response, format, refused);
            return;
        }
        CallerSlots.Slot slot = slots.take(request.getRemoteAddr());
        if (slot == null) {
            refuse(response, format, Status.RESOURCE_EXHAUSTED.withDescription("more than " + slots.max()
                    + " web calls open from " + request.getRemoteAddr() + " (web.max-calls-per-client)"));
            return;
        }
        long timeout;
        Metadata headers;
        try {
            timeout = kind.protocol().timeoutNanos(request);
            headers = headers(request);
        } catch (WebProtocolException bad) {
            slot.release();
            refuse(response, format, bad.status());
            return;
        }
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(
                timeout < 0 ? maxCallNanos : Math.min(timeout, maxCallNanos), TimeUnit.NANOSECONDS);
        AsyncContext async = request.startAsync();
        async.setTimeout(TimeUnit.NANOSECONDS.toMillis(maxCallNanos) + BACKSTOP_MILLIS);
        HttpExchange[] exchange = new HttpExchange[1];
        exchange[0] = new HttpExchange(async, kind.protocol().maxBody(maxMessage),
                body -> call(exchange[0], format, kind, method, options, headers, body, slot),
                bad -> fail(exchange[0], format, bad.status(), slot), slot::release, hangUps);
        exchange[0].begin();
    }

    private Status refusal(HttpServletRequest request, WebProtocol.Kind kind, WebMethod method) {
        if (method == null) {
            return Status.UNIMPLEMENTED.withDescription("no method " + request.getRequestURI() + " here");
        }
        Status mismatch = WebProtocol.mismatch(kind, method);
        return mismatch != null ? mismatch : kind.protocol().compression(request);
    }

    private void call(HttpExchange exchange, ResponseFormat format, WebProtocol.Kind kind, WebMethod method,
            CallOptions options, Metadata headers, byte[] body, CallerSlots.Slot slot) {
        List<byte[]> messages;
        try {
            messages = kind.protocol().messages(body, kind, method, maxMessage);
        } catch (WebProtocolException bad) {
            fail(exchange, format, bad.status(), slot);
            return;
        }
        WebCall call = new WebCall(channel, method, options, format, exchange.sink(), exchange::finish, slot::release);
        exchange.attach(call);
        call.start(headers);
        messages.forEach(call::send);
        call.halfClose();
    }

    private static void fail(HttpExchange exchange, ResponseFormat format, Status status, CallerSlots.Slot slot) {
        slot.release();
        exchange.sink().send(format.end(status, new Metadata()), exchange::finish);
    }

    /** Answers at once, before any call (a small body, written on the request's own thread). */
    private static void refuse(HttpServletResponse response, ResponseFormat format, Status status) throws IOException {
        byte[] body = format.end(status, new Metadata());
        response.getOutputStream().write(body);
    }

    /**
     * An HTTP error before any protocol is known, as plain text that says what (Spring's error page would drop the
     * message).
     */
    static void plain(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(message);
    }

    private static Metadata headers(HttpServletRequest request) {
        Metadata metadata = new Metadata();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                WebMetadata.add(metadata, name, value);
            }
        }
        return metadata;
    }
}
