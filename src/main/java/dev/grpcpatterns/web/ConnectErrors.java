package dev.grpcpatterns.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Base64;
import java.util.Locale;

/**
 * Errors as the Connect protocol writes them: an HTTP status from the code (for unary calls) and the JSON
 * {@code {"code", "message", "details": [{"type", "value", "debug"}]}}, the details being the very
 * {@code google.rpc.Status} details the gRPC port sends in {@code grpc-status-details-bin} (BadRequest, ErrorInfo,
 * QuotaFailure...): {@code value} the protobuf bytes in base64, {@code debug} the same as JSON.
 */
final class ConnectErrors {

    static final String DETAILS_KEY = "grpc-status-details-bin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeRegistry DETAIL_TYPES = TypeRegistry.newBuilder()
            .add(ErrorDetailsProto.getDescriptor().getMessageTypes())
            .build();
    private static final JsonFormat.Printer DEBUG = JsonFormat.printer().usingTypeRegistry(DETAIL_TYPES)
            .omittingInsignificantWhitespace();

    private ConnectErrors() {
    }

    /** Connect's name of a code: gRPC's in lower case, CANCELLED spelled {@code canceled}. */
    static String code(Status.Code code) {
        return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status of a unary call that ends with {@code code}, per the Connect protocol's table. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    /** The error object of a failed call. */
    static ObjectNode error(Status status, Metadata trailers) {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code(status.getCode()));
        if (status.getDescription() != null) {
            error.put("message", status.getDescription());
        }
        com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, trailers);
        if (rich != null && rich.getDetailsCount() > 0) {
            ArrayNode details = error.putArray("details");
            rich.getDetailsList().forEach(detail -> details.add(detail(detail)));
        }
        return error;
    }

    static byte[] errorBytes(Status status, Metadata trailers) {
        return bytes(error(status, trailers));
    }

    /**
     * The end-of-stream message of a streaming call: {@code {"error": ..., "metadata": {...}}}, the error only when it
     * failed, the metadata being the call's trailers.
     */
    static byte[] endOfStream(Status status, Metadata trailers) {
        ObjectNode end = JSON.createObjectNode();
        if (!status.isOk()) {
            end.set("error", error(status, trailers));
        }
        ObjectNode metadata = JSON.createObjectNode();
        WebMetadata.forEach(trailers, (key, value) -> {
            if (!key.equals(DETAILS_KEY)) {
                metadata.withArray(key).add(value);
            }
        });
        if (!metadata.isEmpty()) {
            end.set("metadata", metadata);
        }
        return bytes(end);
    }

    private static ObjectNode detail(Any any) {
        ObjectNode detail = JSON.createObjectNode();
        String typeUrl = any.getTypeUrl();
        String type = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
        detail.put("type", type);
        detail.put("value", Base64.getEncoder().withoutPadding().encodeToString(any.getValue().toByteArray()));
        var descriptor = DETAIL_TYPES.find(type);
        if (descriptor != null) {
            try {
                detail.set("debug", JSON.readTree(DEBUG.print(DynamicMessage.parseFrom(descriptor, any.getValue()))));
            } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
                // A detail that does not parse as its own type: the bytes still go out, the debug view does not.
            }
        }
        return detail;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
