package dev.grpcpatterns.web;

import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Connect's streaming response ({@code application/connect+proto} or {@code +json}): HTTP 200, each reply an
 * envelope (flags 0), then the end-of-stream envelope (flags 0x02) with the status and trailers as JSON.
 */
final class ConnectStreamFormat implements ResponseFormat {

    static final int END_STREAM = 0x02;

    private final HttpServletResponse http;
    private final JsonCodec json;
    private final String contentType;

    /** @param json the method's JSON codec for {@code +json}; null for {@code +proto} */
    ConnectStreamFormat(HttpServletResponse http, JsonCodec json) {
        this.http = http;
        this.json = json;
        this.contentType = json == null ? "application/connect+proto" : "application/connect+json";
    }

    @Override
    public byte[] headers(Metadata headers) {
        startResponse();
        WebMetadata.forEachHeader(headers, http::addHeader);
        return null;
    }

    @Override
    public byte[] message(byte[] message) {
        return LengthPrefixedFrames.frame(0, json == null ? message : json.responseToJson(message));
    }

    @Override
    public byte[] end(Status status, Metadata trailers) {
        if (!http.isCommitted()) {
            startResponse();
        }
        return LengthPrefixedFrames.frame(END_STREAM, ConnectErrors.endOfStream(status, trailers));
    }

    private void startResponse() {
        http.setStatus(HttpServletResponse.SC_OK);
        http.setContentType(contentType);
    }
}
