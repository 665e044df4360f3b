package dev.grpcpatterns.reliability;

import com.google.common.util.concurrent.MoreExecutors;
import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Load shedding: a call is let in only while fewer calls are in progress than a limit: fixed ({@code max-limit},
 * the default) or Netflix's Gradient2 (lowered when calls take longer than they used to, queueing included, raised
 * while they do not; measured to collapse on a host that stalls, docs/reliability.md#overload). Past it the call
 * ends at once with {@code RESOURCE_EXHAUSTED}, a description saying why and
 * a {@code grpc-retry-pushback-ms} trailer; it never waits in a queue for its turn.
 *
 * <p>The decision is taken when the call arrives, before it is queued anywhere: grpc-java asks this class for the
 * call's executor ({@link ServerCallExecutorSupplier}) on the transport thread that read its headers, right after
 * looking its method up. An admitted call starts on the service's executor, its permit counting from that moment
 * (its wait in the queue is part of what the limit learns from). A rejected call, and a gRPC health check (a map
 * lookup), is answered on the spot, on that transport thread: the interceptors run and close it, a few microseconds
 * without blocking, before the transport reads its next frame. So a rejection waits neither behind admitted work nor
 * behind a thread of its own that a busy machine would starve (both measured: docs/reliability.md#overload).
 *
 * <p>The interceptor part acts on the decision: after net.devh's metric interceptor (2500), so that a rejection is
 * measured with its status, and before {@code OpenCalls} (3000) and identity (5000), so it costs no token check. The
 * decision reaches it keyed by the call's headers object (grpc-java hands the same one to both), and is given back
 * when the call's context ends if no interceptor took it.
 *
 * <p>What holds a permit: a unary call, from its arrival to its close (its duration is what the limit learns from).
 * A stream only while it starts, until its service method has returned (for a server stream that is the request's
 * half-close, for client and bidi streams the call's start): a paced ServerStream waiting on its timer uses no CPU
 * and must not crowd out unary calls for its whole life. Open streams are bounded by a fixed count instead
 * ({@code max-open-streams}), since each holds memory however idle. gRPC health is never limited: probes must
 * answer during a flood.
 *
 * <p>Metrics: {@code grpc.server.admission.limit}, {@code .in.flight}, {@code .open.streams} and the counter
 * {@code .rejected} (tags method, reason).
 */
@Component
@GrpcGlobalServerInterceptor
@Order(AdmissionControl.ORDER)
class AdmissionControl implements ServerInterceptor {

    static final int ORDER = 2600;

    private static final Metadata.Key<String> RETRY_PUSHBACK =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    private static final String LIMIT = "limit";
    private static final String STREAMS = "streams";

    private final boolean enabled;
    private final int maxOpenStreams;
    private final String pushbackMillis;
    private final SimpleLimiter<Void> limiter;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final MeterRegistry registry;
    private final Map<String, Counter> limitRejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> streamRejections = new ConcurrentHashMap<>();
    /** Decisions taken on arrival, until the interceptor acts on them; keyed by identity (Metadata has no equals). */
    private final Map<Metadata, Decision> decided = new ConcurrentHashMap<>();

    AdmissionControl(ReliabilityProperties properties, MeterRegistry registry) {
        ReliabilityProperties.Admission settings = properties.admission();
        this.enabled = settings.enabled();
        this.maxOpenStreams = settings.maxOpenStreams();
        this.pushbackMillis = Long.toString(settings.retryPushback().toMillis());
        this.limiter = SimpleLimiter.newBuilder().named("grpc-server").limit(limit(settings)).build();
        this.registry = registry;
        Gauge.builder("grpc.server.admission.limit", limiter, SimpleLimiter::getLimit)
                .description("gRPC calls admitted at once (fixed or adaptive)").register(registry);
        Gauge.builder("grpc.server.admission.in.flight", limiter, SimpleLimiter::getInflight)
                .description("gRPC calls holding an admission permit").register(registry);
        Gauge.builder("grpc.server.admission.open.streams", openStreams, AtomicInteger::get)
                .description("gRPC streaming calls open").register(registry);
    }

    private static Limit limit(ReliabilityProperties.Admission settings) {
        return switch (settings.limit()) {
            case FIXED -> FixedLimit.of(settings.maxLimit());
            case GRADIENT2 -> Gradient2Limit.newBuilder().initialLimit(settings.initialLimit())
                    .minLimit(settings.minLimit()).maxConcurrency(settings.maxLimit()).build();
        };
    }

    /**
     * Installs the executors on the server: each call's own from {@code callExecutor}, or, with admission control on,
     * the decision on arrival (this class): admitted calls on their own, rejected ones (and health checks) answered
     * on the spot.
     */
    void install(ServerBuilder<?> builder, Supplier<Executor> callExecutor) {
        // The default executor runs only each call's method lookup and this class's decision (and a context's
        // cancellation: a flag and its listeners), on the transport thread: a map lookup and a few atomics.
        builder.executor(MoreExecutors.directExecutor()).callExecutor(new ServerCallExecutorSupplier() {
            @Override
            public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                return !enabled || admits(call.getMethodDescriptor(), headers)
                        ? callExecutor.get() : MoreExecutors.directExecutor();
            }
        });
    }

    /**
     * Admits or rejects a call as it arrives: true if it goes to the service's executor. Rejected calls and health
     * checks (never limited, and answered even while that executor is busy) are answered on the spot.
     */
    private boolean admits(MethodDescriptor<?, ?> method, Metadata headers) {
        if (HealthGrpc.SERVICE_NAME.equals(method.getServiceName())) {
            return false;
        }
        boolean stream = method.getType() != MethodType.UNARY;
        Decision decision;
        if (stream && openStreams.incrementAndGet() > maxOpenStreams) {
            openStreams.decrementAndGet();
            decision = new Decision(null, false, STREAMS, maxOpenStreams + " streams open, the most allowed");
        } else {
            decision = limiter.acquire(null)
                    .map(listener -> new Decision(new Permit(listener), stream, null, null))
                    .orElseGet(() -> {
                        if (stream) {
                            openStreams.decrementAndGet();
                        }
                        return new Decision(null, false, LIMIT, limiter.getInflight()
                                + " calls in progress, the current limit " + limiter.getLimit());
                    });
        }
        decided.put(headers, decision);
        // A call can end before its start reaches the interceptor (its client cancelled, an interceptor before
        // ours failed): its context ends either way, and whatever the interceptor has not taken is given back.
        Context.current().addListener(ended -> {
            Decision untaken = decided.remove(headers);
            if (untaken != null) {
                untaken.abandon(openStreams);
            }
        }, MoreExecutors.directExecutor());
        return decision.admitted();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Decision decision = enabled ? decided.remove(headers) : null;
        if (decision == null) {
            // Admission off, a health check, or a call that ended before it started.
            return next.startCall(call, headers);
        }
        if (!decision.admitted()) {
            return reject(call, decision.reason().equals(LIMIT) ? limitRejections : streamRejections,
                    decision.reason(), decision.why());
        }
        MethodType type = call.getMethodDescriptor().getType();
        boolean stream = decision.stream();
        Permit permit = decision.permit();
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(type == MethodType.UNARY ? new UnaryCall<>(call, permit) : call, headers);
        } catch (RuntimeException failedToStart) {
            // grpc-java closes such a call itself, and no listener of ours will hear of its end.
            decision.abandon(openStreams);
            throw failedToStart;
        }
        if (!stream) {
            return new Admitted<>(listener, permit);
        }
        if (type != MethodType.SERVER_STREAMING) {
            // Client and bidi streams: the service method ran inside startCall, the start is over.
            permit.success();
        }
        return new AdmittedStream<>(listener, permit, openStreams);
    }

    private <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, Map<String, Counter> counters, String reason,
            String why) {
        String method = call.getMethodDescriptor().getFullMethodName();
        counters.computeIfAbsent(method, name -> Counter.builder("grpc.server.admission.rejected")
                .description("gRPC calls rejected at admission").tag("method", name).tag("reason", reason)
                .register(registry)).increment();
        Metadata trailers = new Metadata();
        trailers.put(RETRY_PUSHBACK, pushbackMillis);
        call.close(Status.RESOURCE_EXHAUSTED.withDescription("server overloaded, " + method + " not admitted ("
                + why + "); retry in " + pushbackMillis + " ms"), trailers);
        return new ServerCall.Listener<>() {
        };
    }

    /**
     * What was decided on a call's arrival: admitted with a permit (and, for a stream, counted as open), or rejected
     * for {@code reason}, {@code why} saying it to the caller.
     */
    private record Decision(Permit permit, boolean stream, String reason, String why) {

        boolean admitted() {
            return permit != null;
        }

        /** The call ended unseen by the interceptor: its permit and its place among the open streams go back. */
        void abandon(AtomicInteger openStreams) {
            if (permit != null) {
                permit.ignore();
                if (stream) {
                    openStreams.decrementAndGet();
                }
            }
        }
    }

    /** An admission permit, given back exactly once, with what the call's end says about the server's load. */
    private static final class Permit {

        private final AtomicReference<Limiter.Listener> held;

        Permit(Limiter.Listener listener) {
            held = new AtomicReference<>(listener);
        }

        /** Served: its duration is a sample for the limit. */
        void success() {
            Limiter.Listener listener = held.getAndSet(null);
            if (listener != null) {
                listener.onSuccess();
            }
        }

        /** Ran out of time on our side: a sign of overload, the limit goes down. */
        void dropped() {
            Limiter.Listener listener = held.getAndSet(null);
            if (listener != null) {
                listener.onDropped();
            }
        }

        /** Ended for a reason that says nothing about the load (the client's cancel, a failure). */
        void ignore() {
            Limiter.Listener listener = held.getAndSet(null);
            if (listener != null) {
                listener.onIgnore();
            }
        }

        /** The call ended without a status of ours: a deadline that passed is overload, a client's cancel not. */
        void cancelled() {
            Deadline deadline = Context.current().getDeadline();
            if (deadline != null && deadline.isExpired()) {
                dropped();
            } else {
                ignore();
            }
        }
    }

    /** A unary call gives its permit back when the service closes it. */
    private static final class UnaryCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

        private final Permit permit;

        UnaryCall(ServerCall<Q, R> call, Permit permit) {
            super(call);
            this.permit = permit;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                super.close(status, trailers);
            } finally {
                switch (status.getCode()) {
                    case OK -> permit.success();
                    case DEADLINE_EXCEEDED -> permit.dropped();
                    default -> permit.ignore();
                }
            }
        }
    }

    /** Gives the permit back however the call ends (a no-op if it was given back already). */
    private static class Admitted<Q> extends SimpleForwardingServerCallListener<Q> {

        final Permit permit;

        Admitted(ServerCall.Listener<Q> listener, Permit permit) {
            super(listener);
            this.permit = permit;
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } finally {
                permit.cancelled();
            }
        }

        @Override
        public void onComplete() {
            try {
                super.onComplete();
            } finally {
                permit.ignore();
            }
        }
    }

    /**
     * A stream: its permit goes back once its request has been handled (a server stream's method runs in
     * {@code onHalfClose}), and it is counted as open until it ends.
     */
    private static final class AdmittedStream<Q> extends Admitted<Q> {

        private final AtomicInteger openStreams;

        AdmittedStream(ServerCall.Listener<Q> listener, Permit permit, AtomicInteger openStreams) {
            super(listener, permit);
            this.openStreams = openStreams;
        }

        @Override
        public void onHalfClose() {
            try {
                super.onHalfClose();
            } finally {
                permit.success();
            }
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } finally {
                openStreams.decrementAndGet();
            }
        }

        @Override
        public void onComplete() {
            try {
                super.onComplete();
            } finally {
                openStreams.decrementAndGet();
            }
        }
    }
}
