package dev.grpcpatterns.web;

import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * gRPC-Web's response (grpc/grpc's PROTOCOL-WEB.md): HTTP 200, each reply a length-prefixed frame, the trailers a
 * final frame flagged 0x80 holding {@code grpc-status}, {@code grpc-message} and the trailers as a header block. In
 * text mode each frame is base64 on its own (padded pieces, as the spec allows), so each can be flushed at once. Over
 * WebSocket (improbable-eng's {@code grpc-websockets}) the headers come first, as a 0x80 frame too.
 */
final class GrpcWebFormat implements ResponseFormat {

    static final int TRAILERS = 0x80;
    static final String BINARY = "application/grpc-web+proto";
    static final String TEXT = "application/grpc-web-text+proto";

    private final HttpServletResponse http;
    private final boolean text;
    private final boolean singleReply;
    private byte[] heldReply;

    private GrpcWebFormat(HttpServletResponse http, boolean text, boolean singleReply) {
        this.http = http;
        this.text = text;
        this.singleReply = singleReply;
    }

    /**
     * @param singleReply the method answers with one reply (unary): it is held until the call's end, which follows
     *                    it at once, and both go out as one body of known length (one write, not chunked)
     */
    static GrpcWebFormat http(HttpServletResponse response, boolean text, boolean singleReply) {
        return new GrpcWebFormat(response, text, singleReply);
    }

    static GrpcWebFormat webSocket() {
        return new GrpcWebFormat(null, false, false);
    }

    @Override
    public byte[] headers(Metadata headers) {
        if (http == null) {
            WebMetadata.Block block = new WebMetadata.Block();
            WebMetadata.forEachHeader(headers, block::add);
            return LengthPrefixedFrames.frame(TRAILERS, block.bytes());
        }
        startResponse();
        WebMetadata.forEachHeader(headers, http::addHeader);
        return null;
    }

    @Override
    public byte[] message(byte[] message) {
        byte[] frame = encoded(LengthPrefixedFrames.frame(0, message));
        if (singleReply) {
            heldReply = frame;
            return null;
        }
        return frame;
    }

    @Override
    public byte[] end(Status status, Metadata trailers) {
        if (http != null && !http.isCommitted()) {
            startResponse();
        }
        WebMetadata.Block block = new WebMetadata.Block().add("grpc-status", Integer.toString(status.getCode().value()));
        if (status.getDescription() != null) {
            block.add("grpc-message", percentEncoded(status.getDescription()));
        }
        byte[] end = encoded(LengthPrefixedFrames.frame(TRAILERS, block.addAll(trailers).bytes()));
        if (!singleReply) {
            return end;
        }
        byte[] body = end;
        if (heldReply != null) {
            body = Arrays.copyOf(heldReply, heldReply.length + end.length);
            System.arraycopy(end, 0, body, heldReply.length, end.length);
        }
        http.setContentLength(body.length);
        return body;
    }

    private void startResponse() {
        http.setStatus(HttpServletResponse.SC_OK);
        http.setContentType(text ? TEXT : BINARY);
    }

    private byte[] encoded(byte[] frame) {
        return text ? Base64Text.encode(frame) : frame;
    }

    /** gRPC's encoding of {@code grpc-message}: UTF-8, with '%' and bytes outside printable ASCII as %XX. */
    static String percentEncoded(String description) {
        byte[] utf8 = description.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            if (b >= ' ' && b < '%' || b > '%' && b <= '~') {
                encoded.append((char) b);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return encoded.toString();
    }
}
