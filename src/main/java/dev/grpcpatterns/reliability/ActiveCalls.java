package dev.grpcpatterns.reliability;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;

/**
 * Counts the gRPC calls in flight: up when a call starts, down once when it completes or is cancelled
 * (deadline, client cancel, connection loss). Exposed as the gauge {@code grpc.server.calls.active}.
 */
@GrpcGlobalServerInterceptor
public class ActiveCalls implements ServerInterceptor, MeterBinder {

    private final AtomicInteger active = new AtomicInteger();

    public int count() {
        return active.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("grpc.server.calls.active", active, AtomicInteger::get)
                .description("gRPC calls started and not yet completed or cancelled")
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        active.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                active.decrementAndGet();
            }
        };
        try {
            return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                @Override
                public void onComplete() {
                    end.run();
                    super.onComplete();
                }

                @Override
                public void onCancel() {
                    end.run();
                    super.onCancel();
                }
            };
        } catch (RuntimeException e) {
            end.run();
            throw e;
        }
    }
}
