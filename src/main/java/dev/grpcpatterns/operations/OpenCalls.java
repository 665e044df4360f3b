package dev.grpcpatterns.operations;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps track of the calls in flight, counted by the gauge {@code grpc.server.calls.active}, so that shutdown can end
 * the ones still open with a proper status instead of a stream reset. Once a call is ended here, whatever its service
 * still sends is dropped: the service learns of the end through {@code isReady()} turning false, and nothing it does
 * afterwards can fail or reach the client.
 *
 * <p>Ordered after net.devh's metrics interceptor (2500), so an ended call is still measured, with its status.
 */
@Component
@GrpcGlobalServerInterceptor
@Order(OpenCalls.ORDER)
class OpenCalls implements ServerInterceptor, MeterBinder {

    static final int ORDER = 3000;

    private final Set<EndableCall<?, ?>> open = ConcurrentHashMap.newKeySet();

    /** Calls started and not yet completed, cancelled (deadline, client, connection loss) or ended here. */
    int count() {
        return open.size();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("grpc.server.calls.active", open, Set::size)
                .description("gRPC calls started and not yet completed or cancelled")
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        EndableCall<Q, R> endable = new EndableCall<>(call);
        open.add(endable);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(endable, headers);
        } catch (RuntimeException failedToStart) {
            // grpc-java closes such a call itself, and no listener of ours will hear of its end.
            open.remove(endable);
            throw failedToStart;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                open.remove(endable);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                open.remove(endable);
                super.onCancel();
            }
        };
    }

    /** Ends every open call of a method whose full name matches, with {@code status}; returns how many. */
    int end(Predicate<String> fullMethodName, Status status) {
        int ended = 0;
        for (EndableCall<?, ?> call : open) {
            if (fullMethodName.test(call.getMethodDescriptor().getFullMethodName()) && call.end(status)) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * A call whose end can come from the service or from shutdown, whichever is first; the lock keeps the service's
     * sends and the ending from interleaving on grpc-java's call, which is not thread-safe. {@code isReady()}, which a
     * flow-controlled stream asks after every message, takes no lock: grpc-java's answers it from any thread, and
     * one racing the end reads as if asked just before it (the next send is dropped either way).
     */
    private static final class EndableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

        private volatile boolean closed;

        EndableCall(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public boolean isReady() {
            return !closed && super.isReady();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        synchronized boolean end(Status status) {
            if (closed) {
                return false;
            }
            close(status, new Metadata());
            return true;
        }
    }
}
