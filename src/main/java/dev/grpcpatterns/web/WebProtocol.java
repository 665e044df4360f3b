package dev.grpcpatterns.web;

import io.grpc.Status;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web protocols a POST may speak, told apart by its content type: gRPC-Web (binary or base64 text) and Connect
 * (unary with a bare message, streaming with envelopes; protobuf or JSON). Each knows how to read a request body into
 * messages, its timeout header, its compression header, and how to write the response.
 */
enum WebProtocol {

    GRPC_WEB("grpc-timeout", "grpc-encoding"),
    GRPC_WEB_TEXT("grpc-timeout", "grpc-encoding"),
    CONNECT_UNARY("connect-timeout-ms", "content-encoding"),
    CONNECT_STREAM("connect-timeout-ms", "connect-content-encoding");

    static final String SUPPORTED = "application/grpc-web+proto, application/grpc-web-text+proto, application/proto, "
            + "application/json, application/connect+proto or application/connect+json";

    private static final Pattern GRPC_TIMEOUT = Pattern.compile("(\\d{1,8})([HMSmun])");
    private static final Pattern CONNECT_TIMEOUT = Pattern.compile("\\d{1,10}");

    private final String timeoutHeader;
    private final String encodingHeader;

    WebProtocol(String timeoutHeader, String encodingHeader) {
        this.timeoutHeader = timeoutHeader;
        this.encodingHeader = encodingHeader;
    }

    /** A request's protocol and codec, from its content type. */
    record Kind(WebProtocol protocol, boolean json) {
    }

    /** The protocol of a content type (parameters such as charset ignored), or null when none is spoken here. */
    static Kind of(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/grpc-web", "application/grpc-web+proto" -> new Kind(GRPC_WEB, false);
            case "application/grpc-web-text", "application/grpc-web-text+proto" -> new Kind(GRPC_WEB_TEXT, false);
            case "application/proto" -> new Kind(CONNECT_UNARY, false);
            case "application/json" -> new Kind(CONNECT_UNARY, true);
            case "application/connect+proto" -> new Kind(CONNECT_STREAM, false);
            case "application/connect+json" -> new Kind(CONNECT_STREAM, true);
            default -> null;
        };
    }

    /** Why this request cannot be served by {@code method} this way, or null when it can. */
    static Status mismatch(Kind kind, WebMethod method) {
        if (kind.json() && method.json() == null) {
            return Status.UNIMPLEMENTED.withDescription(method.path() + " has no protobuf schema for JSON");
        }
        boolean unary = method.type() == io.grpc.MethodDescriptor.MethodType.UNARY;
        if (kind.protocol() == CONNECT_UNARY && !unary) {
            return Status.UNIMPLEMENTED.withDescription(method.path() + " is a streaming method: use "
                    + "application/connect+" + (kind.json() ? "json" : "proto"));
        }
        if (kind.protocol() == CONNECT_STREAM && unary) {
            return Status.UNIMPLEMENTED.withDescription(method.path() + " is a unary method: use application/"
                    + (kind.json() ? "json" : "proto"));
        }
        return null;
    }

    /** The largest body this protocol may carry for messages of at most {@code maxMessage} bytes. */
    long maxBody(int maxMessage) {
        long framed = (long) maxMessage + LengthPrefixedFrames.PREFIX;
        return switch (this) {
            case GRPC_WEB, CONNECT_STREAM -> framed;
            case GRPC_WEB_TEXT -> (framed + 2) / 3 * 4;
            // JSON is larger than the bytes it stands for; the message limit is checked again after conversion.
            case CONNECT_UNARY -> 4L * maxMessage;
        };
    }

    /** The request messages in a complete body. */
    List<byte[]> messages(byte[] body, Kind kind, WebMethod method, int maxMessage) {
        return switch (this) {
            case GRPC_WEB -> frames(body, method, maxMessage, null);
            case GRPC_WEB_TEXT -> frames(Base64Text.decode(body), method, maxMessage, null);
            case CONNECT_STREAM -> frames(body, method, maxMessage, kind.json() ? method.json() : null);
            case CONNECT_UNARY -> List.of(limited(kind.json() ? method.json().requestToBytes(body) : body, maxMessage));
        };
    }

    private static List<byte[]> frames(byte[] body, WebMethod method, int maxMessage, JsonCodec json) {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames(json == null ? maxMessage : 4 * maxMessage);
        List<byte[]> messages = new ArrayList<>();
        for (LengthPrefixedFrames.Frame frame : decoder.feed(body)) {
            if (frame.flags() != 0) {
                throw new WebProtocolException((frame.flags() & 1) != 0 ? Status.Code.UNIMPLEMENTED
                        : Status.Code.INVALID_ARGUMENT, (frame.flags() & 1) != 0
                        ? "compressed messages are not supported: send them uncompressed"
                        : "request frame with flags 0x" + Integer.toHexString(frame.flags()) + ": only messages "
                                + "(flags 0) may be sent");
            }
            messages.add(json == null ? frame.payload() : limited(json.requestToBytes(frame.payload()), maxMessage));
        }
        if (!decoder.atBoundary()) {
            throw new WebProtocolException(Status.Code.INVALID_ARGUMENT, "request body ends inside a frame");
        }
        // grpc-java would end such a call INTERNAL ("Half-closed without a request", "Too many requests").
        if (messages.size() != 1 && method.singleRequest()) {
            throw new WebProtocolException(Status.Code.INVALID_ARGUMENT,
                    method.path() + " takes one request message, the body has " + messages.size());
        }
        return messages;
    }

    private static byte[] limited(byte[] message, int maxMessage) {
        if (message.length > maxMessage) {
            throw new WebProtocolException(Status.Code.RESOURCE_EXHAUSTED, "message of " + message.length
                    + " bytes is larger than the limit of " + maxMessage + " bytes");
        }
        return message;
    }

    /** The caller's timeout in nanoseconds, or -1 for none; a malformed header is INVALID_ARGUMENT. */
    long timeoutNanos(HttpServletRequest request) {
        return timeoutNanos(timeoutHeader, request.getHeader(timeoutHeader));
    }

    static long timeoutNanos(String header, String value) {
        if (value == null) {
            return -1;
        }
        if (header.equals("grpc-timeout")) {
            Matcher matcher = GRPC_TIMEOUT.matcher(value);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "H" -> TimeUnit.HOURS.toNanos(amount);
                    case "M" -> TimeUnit.MINUTES.toNanos(amount);
                    case "S" -> TimeUnit.SECONDS.toNanos(amount);
                    case "m" -> TimeUnit.MILLISECONDS.toNanos(amount);
                    case "u" -> TimeUnit.MICROSECONDS.toNanos(amount);
                    default -> amount;
                };
            }
        } else if (CONNECT_TIMEOUT.matcher(value).matches()) {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(value));
        }
        throw new WebProtocolException(Status.Code.INVALID_ARGUMENT, "malformed " + header + ": " + value);
    }

    /** UNIMPLEMENTED when the request says its messages are compressed (only identity is supported), else null. */
    Status compression(HttpServletRequest request) {
        String encoding = request.getHeader(encodingHeader);
        if (encoding == null || encoding.equalsIgnoreCase("identity")) {
            return null;
        }
        return Status.UNIMPLEMENTED.withDescription(encodingHeader + " " + encoding
                + " is not supported: send uncompressed messages (identity)");
    }

    ResponseFormat format(HttpServletResponse response, Kind kind, WebMethod method) {
        JsonCodec json = kind.json() && method != null ? method.json() : null;
        return switch (this) {
            case GRPC_WEB -> GrpcWebFormat.http(response, false, method != null && method.singleReply());
            case GRPC_WEB_TEXT -> GrpcWebFormat.http(response, true, method != null && method.singleReply());
            case CONNECT_UNARY -> new ConnectUnaryFormat(response, json);
            case CONNECT_STREAM -> new ConnectStreamFormat(response, json);
        };
    }
}
