package dev.grpcpatterns.reliability;

import dev.grpcpatterns.errors.RichStatus;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request message that cannot be parsed with {@code INVALID_ARGUMENT} and what was wrong, in the
 * description and as a {@code BadRequest} detail ({@link RichStatus}).
 *
 * <p>grpc-java parses a request before any interceptor sees it and turns a parse failure into
 * {@code UNKNOWN "Application error processing RPC"}, dropping the reason. So the wire method here takes the raw
 * stream and the parse happens one step later, in this guard's listener, where the failure can close the call
 * properly. The stream is the same one grpc-java would have parsed: no copy, same speed.
 *
 * <p>The raw type is contained here: only the server's registry holds the {@code InputStream} methods. Every
 * interceptor net.devh binds (global and per service), every advice and the service sit behind the guard and see
 * the call as generated, typed descriptor and parsed messages, exactly once parsed. Whoever adds an interceptor
 * registers it with net.devh ({@code @GrpcGlobalServerInterceptor}), not with {@code ServerBuilder.intercept} or a
 * stream tracer: those run in front of the guard and would see unparsed streams (docs/development.md).
 * A marshaller that failed differently cannot replace this: whatever a marshaller throws, grpc-java answers
 * {@code UNKNOWN}.
 */
final class UnparseableRequestGuard {

    private static final Logger log = LoggerFactory.getLogger(UnparseableRequestGuard.class);

    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private UnparseableRequestGuard() {
    }

    static ServerServiceDefinition guard(ServerServiceDefinition service) {
        List<ServerMethodDefinition<InputStream, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<InputStream, ?>>map(UnparseableRequestGuard::guard)
                .toList();
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return guarded.build();
    }

    private static <Q, R> ServerMethodDefinition<InputStream, R> guard(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
        MethodDescriptor<InputStream, R> wire = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(wire,
                (call, headers) -> new ParsingListener<>(call, typed, handler, headers));
    }

    /** Parses each raw request; on failure closes the call and tells the service the call was cancelled. */
    private static final class ParsingListener<Q, R> extends ServerCall.Listener<InputStream> {

        private final ServerCall<InputStream, R> call;
        private final MethodDescriptor<Q, R> typed;
        private final ServerCall.Listener<Q> service;
        private boolean rejected;

        ParsingListener(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> typed, ServerCallHandler<Q, R> handler,
                Metadata headers) {
            this.call = call;
            this.typed = typed;
            this.service = handler.startCall(new TypedCall<>(call, typed), headers);
        }

        @Override
        public void onMessage(InputStream raw) {
            if (rejected) {
                return;
            }
            Q request;
            try {
                request = typed.parseRequest(raw);
            } catch (RuntimeException unparseable) {
                rejected = true;
                String reason = rootMessage(unparseable);
                String description = "request to " + typed.getFullMethodName() + " could not be parsed: " + reason;
                log.debug("Rejected a request: {}", description);
                StatusRuntimeException status = RichStatus.invalidArgument("", reason, "UNPARSEABLE_REQUEST",
                        description);
                call.close(status.getStatus(), status.getTrailers());
                return;
            }
            service.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!rejected) {
                service.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!rejected) {
                service.onReady();
            }
        }

        @Override
        public void onCancel() {
            service.onCancel();
        }

        @Override
        public void onComplete() {
            // A rejected call ended without the service finishing it: for the service that is a cancel,
            // which stops its timers and makes its further replies no-ops.
            if (rejected) {
                service.onCancel();
            } else {
                service.onComplete();
            }
        }

        private static String rootMessage(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage();
        }
    }

    /** The call as the service sees it: typed requests, everything else the real call's. */
    private static final class TypedCall<Q, R> extends ServerCall<Q, R> {

        private final ServerCall<InputStream, R> call;
        private final MethodDescriptor<Q, R> typed;

        TypedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> typed) {
            this.call = call;
            this.typed = typed;
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return typed;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            call.setOnReadyThreshold(numBytes);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }
    }
}
