package dev.grpcpatterns.benchmark;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What tracing costs ({@link VariantCost}): the service with tracing off, at the default sampling (0.1), at 1.0, and
 * at 0 (what an unsampled call costs, alone).
 * The traced ones report their spans to Zipkin's API as the default does once
 * {@code management.zipkin.tracing.endpoint} is set: to a sink in this JVM that accepts and drops them, so encoding
 * and sending are paid for too.
 *
 * {@code -Dbench.before-jar=<an earlier jar>} adds that jar at 0.1 as a fourth variant, in the same rounds.
 *
 * <p>{@code java -cp <test classpath> -Dbench.jar=target/grpc-patterns.jar dev.grpcpatterns.benchmark.TracingCost}
 * (docs/observability.md).
 */
public final class TracingCost {

    private TracingCost() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/api/v2/spans", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sink.start();
        try {
            // The endpoint alone reports spans; the two switches are the defaults, spelled out so that a jar from
            // before tracing was on by default (-Dbench.jar) is measured the same way.
            List<String> traced = List.of("--management.tracing.enabled=true",
                    "--management.zipkin.tracing.export.enabled=true",
                    "--management.zipkin.tracing.endpoint=http://127.0.0.1:" + sink.getAddress().getPort()
                            + "/api/v2/spans");
            List<VariantCost.Variant> variants = new ArrayList<>(List.of(
                    new VariantCost.Variant("tracing off", List.of("--management.tracing.enabled=false")),
                    new VariantCost.Variant("tracing sampling 0.1 (default)", traced),
                    new VariantCost.Variant("tracing sampling 1.0", Stream.concat(traced.stream(),
                            Stream.of("--management.tracing.sampling.probability=1.0")).toList()),
                    new VariantCost.Variant("tracing sampling 0 (every call unsampled)", Stream.concat(
                            traced.stream(), Stream.of("--management.tracing.sampling.probability=0")).toList())));
            String before = System.getProperty("bench.before-jar");
            if (before != null) {
                variants.add(new VariantCost.Variant("before: tracing sampling 0.1", before, traced));
            }
            VariantCost.compare("tracing", variants);
        } finally {
            sink.stop(0);
        }
    }
}
