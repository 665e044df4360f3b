package dev.grpcpatterns.observability;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.propagation.CurrentTraceContext;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Brave server span per sampled call, made directly on Boot's {@link Tracing} (its sampler, propagation, span
 * handlers and Zipkin reporter, its MDC scope decorator): named by the full method, tagged as micrometer's gRPC
 * convention tags it ({@value #SERVICE}, {@value #METHOD}, {@value #TYPE}, {@value #STATUS}), with the message
 * counts ({@value #RECEIVED}, {@value #SENT}), and every listener callback in the span's scope, so log lines carry
 * its trace and span ids.
 * <ul>
 *   <li>Whether the call is sampled is decided first ({@link CallSampling}); an unsampled call is passed on as it
 *   came, with no span, no trace context and no scopes (so its log lines carry no trace id). Health checks are
 *   never traced: probes would fill the trace store, and a client's health {@code Watch} never ends.</li>
 *   <li>No Micrometer Observation in between: its context maps, key-value sorting, handler chain and the scopes of
 *   three layers (observation, Micrometer's tracer, Brave) cost a sampled call about as much as the call itself
 *   (docs/observability.md, Engineering record). Here a callback's scope is Brave's alone, which sets the MDC.</li>
 *   <li>Messages are counted, not reported one by one: an annotation per message made a 1,000-message Chat a span of
 *   2,000.</li>
 *   <li>A call that ends without {@code close} (cancelled by its client, past its deadline) says CANCELLED, as the
 *   metric interceptor counts it.</li>
 * </ul>
 */
final class TracedServerCalls implements ServerInterceptor {

    static final String SERVICE = "rpc.service";
    static final String METHOD = "rpc.method";
    static final String TYPE = "rpc.type";
    static final String STATUS = "grpc.status_code";
    static final String RECEIVED = "grpc.messages.received";
    static final String SENT = "grpc.messages.sent";

    private final Tracer tracer;
    private final CurrentTraceContext current;
    private final CallSampling sampling;

    TracedServerCalls(Tracing tracing, CallSampling sampling) {
        this.tracer = tracing.tracer();
        this.current = tracing.currentTraceContext();
        this.sampling = sampling;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> method = call.getMethodDescriptor();
        TraceContextOrSamplingFlags parent = HealthGrpc.SERVICE_NAME.equals(method.getServiceName()) ? null
                : sampling.sampled(headers);
        if (parent == null) {
            return next.startCall(call, headers);
        }
        Span span = tracer.nextSpan(parent).kind(Span.Kind.SERVER).name(method.getFullMethodName());
        if (method.getServiceName() != null) {
            span.tag(SERVICE, method.getServiceName());
        }
        if (method.getBareMethodName() != null) {
            span.tag(METHOD, method.getBareMethodName());
        }
        span.tag(TYPE, method.getType().name());
        span.start();
        Spanned<Q, A> spanned = new Spanned<>(call, span, current);
        try (CurrentTraceContext.Scope scope = spanned.scope()) {
            return new Scoped<>(next.startCall(spanned, headers), spanned);
        } catch (RuntimeException e) {
            span.error(e).finish();
            throw e;
        }
    }

    /** The call the service answers on: its span, what it sends and the status it closes with. */
    private static final class Spanned<Q, A> extends SimpleForwardingServerCall<Q, A> {

        final Span span;
        private final TraceContext context;
        private final CurrentTraceContext current;
        // grpc-java delivers requests on its executor while a stream's service may send from threads of its own.
        final AtomicLong received = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private volatile Status.Code code;

        Spanned(ServerCall<Q, A> call, Span span, CurrentTraceContext current) {
            super(call);
            this.span = span;
            this.context = span.context();
            this.current = current;
        }

        CurrentTraceContext.Scope scope() {
            return current.newScope(context);
        }

        @Override
        public void sendMessage(A message) {
            sent.incrementAndGet();
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (status.getCause() != null) {
                span.error(status.getCause());
            }
            code = status.getCode();
            super.close(status, trailers);
        }

        void finish(boolean cancelled) {
            Status.Code ended = code;
            if (ended == null && cancelled) {
                ended = Status.Code.CANCELLED;
            }
            if (ended != null) {
                span.tag(STATUS, ended.name());
            }
            span.tag(RECEIVED, Long.toString(received.get()));
            span.tag(SENT, Long.toString(sent.get()));
            span.finish();
        }
    }

    /** Every callback in the span's scope; the span finishes when the call has ended either way. */
    private static final class Scoped<Q> extends SimpleForwardingServerCallListener<Q> {

        private final Spanned<Q, ?> call;

        Scoped(ServerCall.Listener<Q> listener, Spanned<Q, ?> call) {
            super(listener);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            call.received.incrementAndGet();
            try (CurrentTraceContext.Scope scope = call.scope()) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            try (CurrentTraceContext.Scope scope = call.scope()) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            try (CurrentTraceContext.Scope scope = call.scope()) {
                super.onReady();
            }
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
            try (CurrentTraceContext.Scope scope = call.scope()) {
                callback.run();
            } catch (RuntimeException e) {
                call.span.error(e);
                throw e;
            } finally {
                call.finish(cancelled);
            }
        }
    }
}
