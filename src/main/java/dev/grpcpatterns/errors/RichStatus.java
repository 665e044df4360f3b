package dev.grpcpatterns.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * The statuses a caller's mistake earns, with details any gRPC client can read field by field: a
 * {@code google.rpc.Status} in the {@code grpc-status-details-bin} trailer (the standard error model), beside the
 * same code and description as before, so clients that read only those keep working. Every one carries an
 * {@link ErrorInfo} of our {@link #DOMAIN}, whose reason a program can switch on.
 */
public final class RichStatus {

    /** The {@link ErrorInfo} domain of every error this service sends. */
    public static final String DOMAIN = "grpcpatterns.v1";

    private RichStatus() {
    }

    /**
     * INVALID_ARGUMENT with a {@link BadRequest} naming the field at fault.
     *
     * @param field       the request field's name ("" for the request as a whole)
     * @param violation   what is wrong with it
     * @param reason      the {@link ErrorInfo} reason, UPPER_SNAKE_CASE
     * @param description the status description
     */
    public static StatusRuntimeException invalidArgument(String field, String violation, String reason,
            String description) {
        BadRequest badRequest = BadRequest.newBuilder()
                .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(violation))
                .build();
        return status(Code.INVALID_ARGUMENT, description, badRequest, errorInfo(reason, Map.of()));
    }

    /**
     * RESOURCE_EXHAUSTED with a {@link QuotaFailure} naming the limit (its setting) and its value.
     *
     * @param limit       the setting that bounds it, e.g. {@code chat.client-stream.max-messages}
     * @param value       the setting's value
     * @param reason      the {@link ErrorInfo} reason, UPPER_SNAKE_CASE
     * @param description the status description
     */
    public static StatusRuntimeException resourceExhausted(String limit, long value, String reason,
            String description) {
        QuotaFailure quotaFailure = QuotaFailure.newBuilder()
                .addViolations(QuotaFailure.Violation.newBuilder()
                        .setSubject(limit)
                        .setDescription(limit + " is " + value))
                .build();
        return status(Code.RESOURCE_EXHAUSTED, description, quotaFailure,
                errorInfo(reason, Map.of("limit", limit, "value", Long.toString(value))));
    }

    private static ErrorInfo errorInfo(String reason, Map<String, String> metadata) {
        return ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).build();
    }

    private static StatusRuntimeException status(Code code, String description, com.google.protobuf.Message detail,
            ErrorInfo errorInfo) {
        return StatusProto.toStatusRuntimeException(Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(description)
                .addDetails(Any.pack(detail))
                .addDetails(Any.pack(errorInfo))
                .build());
    }
}
