package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ContextConfiguration;

/**
 * Tracing on, every trace sampled, and the demo channel on a multi-address {@code static://} target (two addresses
 * of the same real port): the demo's calls succeed (the failure micrometer's default client convention caused),
 * each call is measured once, the server's log lines carry the caller's trace, and the duration histogram's
 * buckets name traces in the OpenMetrics scrape.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "demo.enabled=false",
        "demo.chat-pause=0s",
        "demo.deadline=10s",
        "chat.server-stream.interval=50ms",
        "management.tracing.enabled=true",
        "management.tracing.sampling.probability=1.0"
})
@ContextConfiguration(initializers = TracingTest.TwoAddressesOfOwnPort.class)
@Import({TracingTest.LoggingInsideCalls.class, DemoFlows.class})
@ExtendWith(OutputCaptureExtension.class)
class TracingTest {

    private static final Pattern CORRELATION = Pattern.compile("\\[([0-9a-f]{32})-([0-9a-f]{16})]");
    private static final Pattern EXEMPLAR = Pattern.compile(
            "^grpc_server_processing_duration_seconds_bucket\\{.*method=\"(\\w+)\".*} \\S+ # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"([0-9a-f]{32})\"}.*$",
            Pattern.MULTILINE);

    @Autowired
    private DemoFlows demo;

    @Autowired
    private ObservationRegistry observations;

    @Autowired
    private Tracer tracer;

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private ApplicationContext context;

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @Test
    void theDemoAnswersOverAMultiAddressTargetWithTracingOn() throws Exception {
        List<String> lines = new ArrayList<>();
        demo.runAll(lines::add);

        assertThat(lines).containsExactlyElementsOf(ArticleOutput.LINES);
    }

    @Test
    void withoutAZipkinEndpointNothingIsSent() {
        // Tracing is on, and no management.zipkin.tracing.endpoint is set: no span handler, and no sender or encoder
        // either (Boot would build those anyway; TracingWhenOn leaves its Zipkin configuration out).
        assertThat(context.getBeanNamesForType(Tracer.class)).isNotEmpty();
        assertThat(context.getBeanNamesForType(AsyncZipkinSpanHandler.class)).isEmpty();
        assertThat(context.getBeanNamesForType(BytesMessageSender.class)).isEmpty();
    }

    @Test
    void eachCallIsMeasuredOnceBesideItsSpan() {
        String before = scrape(false);
        String traceId = inTrace(() -> greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("once").build()));
        assertThat(traceId).matches("[0-9a-f]{32}");
        // The server records a call when its close listener runs, which may be just after the client has its reply.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(count(scrape(false), "SayHello", "OK") - count(before, "SayHello", "OK")).isEqualTo(1));
        String after = scrape(false);
        assertThat(count(after, "SayHello", "OK") - count(before, "SayHello", "OK")).isEqualTo(1);
        // Neither the server's nor the client's observation adds meters of its own (timers, event counters).
        assertThat(after.lines()).noneMatch(line -> line.startsWith("grpc_") && line.contains("rpc_method="));
    }

    @Test
    void logLinesInsideACallCarryTheCallersTrace(CapturedOutput output) {
        String[] client = new String[1];
        String traceId = inTrace(() -> {
            client[0] = tracer.currentSpan().context().spanId();
            greeter.withDeadlineAfter(10, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("log").build());
        });

        String logged = output.getAll().lines().filter(line -> line.contains(LoggingInsideCalls.LINE))
                .reduce((first, last) -> last).orElseThrow();
        Matcher correlation = CORRELATION.matcher(logged);
        assertThat(correlation.find()).as("trace and span id in: %s", logged).isTrue();
        assertThat(correlation.group(1)).isEqualTo(traceId);
        // The server's own span, a child of the client's, not the test's span.
        assertThat(correlation.group(2)).isNotEqualTo(client[0]);
    }

    @Test
    void durationBucketsCarryExemplarsOfSampledTraces() {
        Set<String> traces = Set.of(
                inTrace(() -> greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("a").build())),
                inTrace(() -> greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("b").build())));

        String openMetrics = scrape(true);
        // Exemplars only where OpenMetrics allows them: Prometheus refuses a whole scrape with one on a _count.
        assertThat(openMetrics.lines()).noneMatch(line -> line.matches("^\\w+_count(\\{.*})? \\S+ # \\{.*"));
        Map<String, Set<String>> exemplars = new HashMap<>();
        Matcher matcher = EXEMPLAR.matcher(openMetrics);
        while (matcher.find()) {
            exemplars.computeIfAbsent(matcher.group(1), m -> new HashSet<>()).add(matcher.group(2));
        }
        // Each bucket keeps its latest exemplar for a while: one of ours, or one of an earlier test's calls.
        assertThat(exemplars).containsKey("SayHello");
        assertThat(exemplars.get("SayHello")).allMatch(id -> id.matches("[0-9a-f]{32}"));
        assertThat(exemplars.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("exemplars name the sampled traces").containsAnyElementsOf(traces);
    }

    /** Runs {@code call} under a new observation (the client's parent span); returns its trace id. */
    private String inTrace(Runnable call) {
        String[] traceId = new String[1];
        Observation.createNotStarted("test.call", observations).observe(() -> {
            traceId[0] = tracer.currentSpan().context().traceId();
            call.run();
        });
        return traceId[0];
    }

    private String scrape(boolean openMetrics) {
        HttpHeaders headers = new HttpHeaders();
        if (openMetrics) {
            headers.set(HttpHeaders.ACCEPT, "application/openmetrics-text; version=1.0.0; charset=utf-8");
        }
        return http.exchange("/actuator/prometheus", HttpMethod.GET, new HttpEntity<>(headers), String.class).getBody();
    }

    private static double count(String scrape, String method, String status) {
        String prefix = "grpc_server_processing_duration_seconds_count{method=\"" + method + "\"";
        String statusLabel = "statusCode=\"" + status + "\"}";
        return scrape.lines().filter(line -> line.startsWith(prefix) && line.contains(statusLabel))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * Code of the call's own, as a service or an interceptor inside the tracing one would be: it logs from the
     * request's half-close, on grpc-java's executor thread.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class LoggingInsideCalls {

        static final String LINE = "inside the call";
        private static final Logger log = LoggerFactory.getLogger(LoggingInsideCalls.class);

        @Bean
        @GrpcGlobalServerInterceptor
        @Order(GrpcTracingInterceptors.SERVER_ORDER + 1000)
        ServerInterceptor loggingInsideCalls() {
            return new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                        ServerCallHandler<Q, R> next) {
                    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                        @Override
                        public void onHalfClose() {
                            log.info("{} {}", LINE, call.getMethodDescriptor().getFullMethodName());
                            super.onHalfClose();
                        }
                    };
                }
            };
        }
    }

    /** Its own free gRPC port, and the demo channel on two addresses of it: a multi-address target. */
    static class TwoAddressesOfOwnPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            int port = AppProcess.freePort();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("twoAddresses", Map.of(
                    "grpc.server.port", port,
                    "grpc.client.demo.address", "static://127.0.0.1:" + port + ",localhost:" + port)));
        }
    }
}
