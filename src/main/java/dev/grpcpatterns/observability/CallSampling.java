package dev.grpcpatterns.observability;

import brave.propagation.Propagation;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import brave.sampler.Sampler;
import io.grpc.Metadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Whether a server call is traced, decided before anything is built for it: the caller's sampled flag when its
 * headers carry one ({@code traceparent}, {@code b3}, {@code X-B3-Sampled}, as the configured propagation reads
 * them), else the sampler's. An unsampled call then costs the header reads and one draw, nothing else: Micrometer's
 * observation and Brave would otherwise build their contexts, ids and scopes first and learn only at the end that
 * nothing is recorded (docs/observability.md, Engineering record).
 *
 * <p>The decision is taken once. A sampled call's span is then started the usual way (the observation, Brave's
 * receiver handler, which extracts the caller's context again), with Brave's sampler answering "sampled" for it:
 * asked a second time, a probability sampler could say no to a call already chosen. Brave is built with
 * {@link #tracerSampler()}, which is the configured sampler everywhere else (HTTP requests, the demo).
 */
final class CallSampling {

    private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

    private final TraceContext.Extractor<Metadata> extractor;
    private final Sampler sampler;
    private final ThreadLocal<Boolean> starting = new ThreadLocal<>();

    CallSampling(Propagation.Factory propagation, Sampler sampler) {
        this.extractor = propagation.get().extractor(CallSampling::header);
        this.sampler = sampler;
    }

    /** A request header by name; only the propagation's few names are asked for, each made into a key once. */
    static String header(Metadata headers, String name) {
        return headers.get(KEYS.computeIfAbsent(name, n -> Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER)));
    }

    boolean sampled(Metadata headers) {
        TraceContextOrSamplingFlags extracted = extractor.extract(headers);
        Boolean callers = extracted.sampled();
        if (callers != null) {
            return callers;
        }
        // The trace id the caller sent, else any: a new trace's id is random, and the sampler sees only the id.
        TraceContext context = extracted.context();
        return sampler.isSampled(context != null ? context.traceId() : ThreadLocalRandom.current().nextLong());
    }

    /** Runs {@code start} (which starts a sampled call's span) with the tracer's sampler held to "sampled". */
    <T> T keepingSampled(Supplier<T> start) {
        starting.set(Boolean.TRUE);
        try {
            return start.get();
        } finally {
            starting.remove();
        }
    }

    /** The sampler to build Brave with. */
    Sampler tracerSampler() {
        return new Sampler() {
            @Override
            public boolean isSampled(long traceId) {
                return starting.get() != null || sampler.isSampled(traceId);
            }

            @Override
            public String toString() {
                return "CallSampling(" + sampler + ")";
            }
        };
    }
}
