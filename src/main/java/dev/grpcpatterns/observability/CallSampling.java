package dev.grpcpatterns.observability;

import brave.propagation.Propagation;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import brave.sampler.Sampler;
import io.grpc.Metadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a server call is traced, decided before anything is built for it: the caller's sampled flag when its
 * headers carry one ({@code traceparent}, {@code b3}, {@code X-B3-Sampled}, as the configured propagation reads
 * them), else the sampler's. An unsampled call then costs the header reads and one draw, nothing else
 * (docs/observability.md, Engineering record).
 *
 * <p>The headers are read once: a sampled call's span continues the caller's trace from what was read here,
 * marked sampled, so Brave does not ask the sampler again (a probability sampler, asked twice, could say no to a
 * call already chosen).
 */
final class CallSampling {

    private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

    private final TraceContext.Extractor<Metadata> extractor;
    private final Sampler sampler;

    CallSampling(Propagation.Factory propagation, Sampler sampler) {
        this.extractor = propagation.get().extractor(CallSampling::header);
        this.sampler = sampler;
    }

    /** A request header by name; only the propagation's few names are asked for, each made into a key once. */
    private static String header(Metadata headers, String name) {
        return headers.get(KEYS.computeIfAbsent(name, n -> Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER)));
    }

    /** The caller's trace (or none) to continue, marked sampled; {@code null} when the call is not traced. */
    TraceContextOrSamplingFlags sampled(Metadata headers) {
        TraceContextOrSamplingFlags extracted = extractor.extract(headers);
        Boolean callers = extracted.sampled();
        if (callers != null) {
            return callers ? extracted : null;
        }
        // The trace id the caller sent, else any: a new trace's id is random, and the sampler sees only the id.
        TraceContext context = extracted.context();
        boolean drawn = sampler.isSampled(context != null ? context.traceId() : ThreadLocalRandom.current().nextLong());
        return drawn ? extracted.sampled(true) : null;
    }
}
