package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.chat.ChatProperties;
import dev.grpcpatterns.chat.ChatService;
import dev.grpcpatterns.chat.PacingTimer;
import dev.grpcpatterns.greeter.GreeterService;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baselines: the service's own classes on a bare grpc-java Netty server, no Spring. Arguments:
 * the port, then ServerStream's messages (sent with no pause; none: the article's three, as application.yml).
 * The system property {@code baseline} picks the variant:
 * <ul>
 * <li>{@code defaults} (the default): grpc-java's defaults throughout, its cached executor included;</li>
 * <li>{@code settings}: the service's executor, limits and keep-alives ({@link ServiceLimits}), nothing else:
 *     what everything the service adds costs;</li>
 * <li>{@code metrics}: the same plus the metric interceptor the service measures each call with (Micrometer's,
 *     as net.devh installs it, into a Prometheus registry with the service's buckets): what the framework
 *     alone costs;</li>
 * <li>{@code bare}: grpc-java with nothing but a fixed pool of 16 threads
 *     ({@code Executors.newFixedThreadPool}), no interceptor, no limit, no keep-alive: the call path's floor, the
 *     server the call-path goals are set against (issue 26).</li>
 * </ul>
 */
public final class BaselineServer {

    /** The variants, by the value of the system property {@code baseline}. */
    enum Variant { DEFAULTS, SETTINGS, METRICS, BARE }

    /** {@code bare}'s pool, as issue 26 defines that server (the service's default was 16 then). */
    static final int BARE_THREADS = 16;

    private static final List<String> ARTICLE_MESSAGES = List.of("Hello world", "This is server streaming grpc",
            "Good bye");

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        // No line per Chat message, as in the benchmarked service (Benchmark switches it off there too).
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.grpcpatterns.chat.messages"))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        int port = Integer.parseInt(args[0]);
        List<String> messages = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : ARTICLE_MESSAGES;
        Variant variant = Variant.valueOf(System.getProperty("baseline", "defaults").toUpperCase(Locale.ROOT));
        // ClientStream's bounds as application.yml sets them for the service.
        ChatProperties chat = new ChatProperties(new ChatProperties.ServerStream(messages, Duration.ZERO),
                new ChatProperties.ClientStream(10_000, 1_000_000), new ChatProperties.MessageLog(20));
        List<BindableService> services = List.of(new GreeterService(), new ChatService(chat, new PacingTimer()));
        NettyServerBuilder builder = NettyServerBuilder.forPort(port);
        if (variant == Variant.BARE) {
            builder.executor(Executors.newFixedThreadPool(BARE_THREADS));
        } else if (variant != Variant.DEFAULTS) {
            ServiceLimits.apply(builder);
        }
        if (variant == Variant.METRICS) {
            builder.intercept(metricInterceptor(services));
        }
        services.forEach(builder::addService);
        Server server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        server.awaitTermination();
    }

    /**
     * Micrometer's interceptor as net.devh's GrpcServerMetricAutoConfiguration creates it (the services'
     * methods registered up front), and the service's SLO buckets (management.metrics.distribution.slo).
     */
    private static MetricCollectingServerInterceptor metricInterceptor(List<BindableService> services) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("grpc.server.processing.duration")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(Arrays.stream(new long[] {5, 25, 100, 500, 1000, 5000, 30000})
                                .mapToDouble(millis -> Duration.ofMillis(millis).toNanos()).toArray())
                        .build().merge(config);
            }
        });
        MetricCollectingServerInterceptor interceptor = new MetricCollectingServerInterceptor(registry);
        services.forEach(service -> interceptor.preregisterService(service));
        return interceptor;
    }
}
