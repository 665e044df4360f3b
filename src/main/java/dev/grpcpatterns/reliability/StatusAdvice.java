package dev.grpcpatterns.reliability;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.server.advice.GrpcAdvice;
import net.devh.boot.grpc.server.advice.GrpcExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an exception escaping a service becomes a status. Only a status and a description
 * written for the caller go out (grpc-java never sends a status's cause); the stack trace stays in our log.
 * A caller's mistake is a status the service chose ({@code RichStatus}); any other exception, an
 * {@code IllegalArgumentException} from a library included, is ours, and its message is not for the caller.
 */
@GrpcAdvice
public class StatusAdvice {

    private static final Logger log = LoggerFactory.getLogger(StatusAdvice.class);

    /**
     * A status the service chose on purpose: passed on as it is, with its trailers (the error details of a
     * {@code RichStatus}, for one) and without its cause.
     */
    @GrpcExceptionHandler({StatusRuntimeException.class, StatusException.class})
    public StatusRuntimeException chosen(Exception e) {
        Status status = Status.fromThrowable(e);
        return Status.fromCode(status.getCode()).withDescription(status.getDescription())
                .asRuntimeException(Status.trailersFromThrowable(e));
    }

    /** A bug: logged with its stack trace, and the caller learns only that it was ours. */
    @GrpcExceptionHandler(Throwable.class)
    public Status internal(Throwable e) {
        log.error("Unexpected failure in a gRPC call", e);
        return Status.INTERNAL.withDescription("internal error");
    }
}
