package dev.grpcpatterns.observability;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcObservationDocumentation;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An observation per sampled server call, as micrometer's {@code ObservationGrpcServerInterceptor} makes it (its
 * context, its convention, the caller's trace read from the headers, every listener callback in the observation's
 * scope so log lines carry the trace), with four differences:
 * <ul>
 *   <li>Whether the call is sampled is decided first ({@link CallSampling}); an unsampled call is passed on as it
 *   came, with no observation, no trace context and no scopes (so its log lines carry no trace id). Micrometer
 *   builds all of that for every call, then records nothing for nine in ten.</li>
 *   <li>Messages are counted, not reported one by one: micrometer sends an event per message to every handler,
 *   which costs each Chat message a meter lookup and, on a sampled span, an annotation (a 1,000-message Chat
 *   became a span with 2,000). The counts go on the span when the call ends ({@value #RECEIVED},
 *   {@value #SENT}).</li>
 *   <li>A call that ends without {@code close} (cancelled by its client, past its deadline) says CANCELLED, as the
 *   metric interceptor counts it; micrometer leaves its status unknown.</li>
 *   <li>Headers and trailers are not copied into the context (micrometer copies both on every call): no
 *   convention here reads them.</li>
 * </ul>
 * The cost this saves is measured in docs/observability.md.
 */
final class ObservedServerCalls implements ServerInterceptor {

    static final String RECEIVED = "grpc.messages.received";
    static final String SENT = "grpc.messages.sent";

    private static final GrpcServerObservationConvention CONVENTION = new DefaultGrpcServerObservationConvention();

    private final ObservationRegistry registry;
    private final CallSampling sampling;

    ObservedServerCalls(ObservationRegistry registry, CallSampling sampling) {
        this.registry = registry;
        this.sampling = sampling;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (!sampling.sampled(headers)) {
            return next.startCall(call, headers);
        }
        Observation observation = sampling.keepingSampled(() -> GrpcObservationDocumentation.SERVER
                .observation(null, CONVENTION, () -> context(call, headers), registry)
                .start());
        if (observation.isNoop()) {
            return next.startCall(call, headers);
        }
        Counted<Q, A> counted = new Counted<>(call, observation);
        try (Observation.Scope scope = observation.openScope()) {
            return new Scoped<>(next.startCall(counted, headers), counted);
        } catch (RuntimeException e) {
            observation.error(e).stop();
            throw e;
        }
    }

    private static GrpcServerObservationContext context(ServerCall<?, ?> call, Metadata headers) {
        GrpcServerObservationContext context = new GrpcServerObservationContext(CallSampling::header);
        context.setCarrier(headers);
        MethodDescriptor<?, ?> method = call.getMethodDescriptor();
        if (method.getServiceName() != null) {
            context.setServiceName(method.getServiceName());
        }
        if (method.getBareMethodName() != null) {
            context.setMethodName(method.getBareMethodName());
        }
        context.setFullMethodName(method.getFullMethodName());
        context.setMethodType(method.getType());
        String authority = call.getAuthority();
        if (authority != null) {
            context.setAuthority(authority);
            try {
                URI uri = new URI(null, authority, null, null, null);
                context.setPeerName(uri.getHost());
                context.setPeerPort(uri.getPort());
            } catch (URISyntaxException e) {
                // The convention then says "UNKNOWN", as micrometer's does for an authority it cannot read.
            }
        }
        return context;
    }

    /** The call the service answers on: counts what it sends and keeps the status it closes with. */
    private static final class Counted<Q, A> extends SimpleForwardingServerCall<Q, A> {

        final Observation observation;
        // grpc-java delivers requests on its executor while a stream's service may send from threads of its own.
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();

        Counted(ServerCall<Q, A> call, Observation observation) {
            super(call);
            this.observation = observation;
        }

        @Override
        public void sendMessage(A message) {
            sent.incrementAndGet();
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (status.getCause() != null) {
                observation.error(status.getCause());
            }
            ((GrpcServerObservationContext) observation.getContext()).setStatusCode(status.getCode());
            super.close(status, trailers);
        }

        void stop(boolean cancelled) {
            GrpcServerObservationContext context = (GrpcServerObservationContext) observation.getContext();
            if (cancelled) {
                context.setCancelled(true);
                if (context.getStatusCode() == null) {
                    context.setStatusCode(Status.Code.CANCELLED);
                }
            }
            context.addHighCardinalityKeyValue(KeyValue.of(RECEIVED, Long.toString(received.get())));
            context.addHighCardinalityKeyValue(KeyValue.of(SENT, Long.toString(sent.get())));
            observation.stop();
        }
    }

    /** Every callback in the observation's scope; the observation stops when the call has ended either way. */
    private static final class Scoped<Q> extends SimpleForwardingServerCallListener<Q> {

        private final Counted<Q, ?> call;

        Scoped(ServerCall.Listener<Q> listener, Counted<Q, ?> call) {
            super(listener);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            call.received.incrementAndGet();
            call.observation.scoped(() -> super.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            call.observation.scoped(super::onHalfClose);
        }

        @Override
        public void onReady() {
            call.observation.scoped(super::onReady);
        }

        @Override
        public void onCancel() {
            end(super::onCancel, true);
        }

        @Override
        public void onComplete() {
            end(super::onComplete, false);
        }

        private void end(Runnable callback, boolean cancelled) {
            try (Observation.Scope scope = call.observation.openScope()) {
                callback.run();
            } catch (RuntimeException e) {
                call.observation.error(e);
                throw e;
            } finally {
                call.stop(cancelled);
            }
        }
    }
}
