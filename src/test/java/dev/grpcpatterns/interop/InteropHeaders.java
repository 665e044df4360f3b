package dev.grpcpatterns.interop;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * The metadata side of gRPC's interop server ("Server" in grpc/grpc's doc/interop-test-descriptions.md): the
 * {@code x-grpc-test-echo-initial} request header comes back in the response headers, {@code
 * x-grpc-test-echo-trailing-bin} in the trailers; and whether the request was sent compressed (a {@code
 * grpc-encoding} other than identity) is known to the service, for {@code expect_compressed}.
 *
 * <p>Public with a public constructor: net.devh creates a service's own interceptors by reflection.
 */
public final class InteropHeaders implements ServerInterceptor {

    static final Context.Key<Boolean> REQUEST_COMPRESSED = Context.key("interop-request-compressed");

    private static final Metadata.Key<String> ECHO_INITIAL =
            Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<byte[]> ECHO_TRAILING =
            Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);
    private static final Metadata.Key<String> ENCODING =
            Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

    public InteropHeaders() {
        // created by net.devh for @GrpcService(interceptors = InteropHeaders.class)
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String initial = headers.get(ECHO_INITIAL);
        byte[] trailing = headers.get(ECHO_TRAILING);
        String encoding = headers.get(ENCODING);
        boolean compressed = encoding != null && !encoding.equals("identity");
        ServerCall<Q, R> echoing = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                if (initial != null) {
                    responseHeaders.put(ECHO_INITIAL, initial);
                }
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (trailing != null) {
                    trailers.put(ECHO_TRAILING, trailing);
                }
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(REQUEST_COMPRESSED, compressed), echoing, headers,
                next);
    }
}
