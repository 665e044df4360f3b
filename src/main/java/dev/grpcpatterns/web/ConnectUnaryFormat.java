package dev.grpcpatterns.web;

import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Connect's unary response ({@code application/proto} or {@code application/json}): the reply as the whole body, the
 * call's headers as HTTP headers and its trailers as {@code trailer-} headers. An error's HTTP status comes from its
 * code and its body is Connect's error JSON, so nothing is written before the call has ended.
 */
final class ConnectUnaryFormat implements ResponseFormat {

    private static final String TRAILER_PREFIX = "trailer-";

    private final HttpServletResponse http;
    private final JsonCodec json;
    private Metadata headers = new Metadata();
    private byte[] reply;

    /** @param json the method's JSON codec for {@code application/json}; null for {@code application/proto} */
    ConnectUnaryFormat(HttpServletResponse http, JsonCodec json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public byte[] headers(Metadata headers) {
        this.headers = headers;
        return null;
    }

    @Override
    public byte[] message(byte[] message) {
        reply = json == null ? message : json.responseToJson(message);
        return null;
    }

    @Override
    public byte[] end(Status status, Metadata trailers) {
        WebMetadata.forEachHeader(headers, http::addHeader);
        WebMetadata.forEach(trailers, (key, value) -> {
            if (!key.equals(ConnectErrors.DETAILS_KEY)) {
                http.addHeader(TRAILER_PREFIX + key, value);
            }
        });
        byte[] body;
        if (status.isOk() && reply != null) {
            http.setStatus(HttpServletResponse.SC_OK);
            http.setContentType(json == null ? "application/proto" : "application/json");
            body = reply;
        } else {
            Status failure = status.isOk()
                    ? Status.UNIMPLEMENTED.withDescription("unary call ended without a reply")
                    : status;
            http.setStatus(ConnectErrors.httpStatus(failure.getCode()));
            http.setContentType("application/json");
            body = ConnectErrors.errorBytes(failure, trailers);
        }
        http.setContentLength(body.length);
        return body;
    }
}
