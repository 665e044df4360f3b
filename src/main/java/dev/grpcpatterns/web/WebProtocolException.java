package dev.grpcpatterns.web;

import io.grpc.Status;

/**
 * A web request the protocol layer refuses before (or instead of) reaching the service: broken framing, bad base64 or
 * JSON, a size over the limit. It carries the status the caller gets, with a description that says what was wrong.
 */
final class WebProtocolException extends RuntimeException {

    private final transient Status status;

    WebProtocolException(Status.Code code, String description) {
        super(description, null, false, false);
        this.status = Status.fromCode(code).withDescription(description);
    }

    Status status() {
        return status;
    }
}
