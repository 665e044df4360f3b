package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.RawHttp2Client;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the web protocols cost (docs/web.md#cost): the same jar, the same service, in the same run and rounds
 * alternating: native gRPC over HTTP/2 on the gRPC port (h2load: {@code channels} connections x {@code outstanding}
 * streams) against gRPC-Web and Connect JSON over HTTP/1.1 on the HTTP port (wrk: as many keep-alive connections as
 * the native client has streams, one call at a time each, as browsers do). Rows: unary calls/s and ServerStream
 * messages/s (the article's three, unpaced). Then the probes under a flood: readiness asked every 100 ms on a new
 * connection, as a kubelet or Docker's health check does, first on a quiet port, then while four times as many
 * connections hammer the HTTP port with gRPC-Web streams.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmark verify -DskipTests -Dbench.only=web} (with {@code bench.*} settings as
 * the benchmark's). Needs h2load and wrk (Debian's nghttp2-client and wrk).
 */
public final class WebCost {

    private static final String NATIVE = "native gRPC (h2)";
    private static final String GRPC_WEB = "gRPC-Web (h1)";
    private static final String CONNECT_JSON = "Connect JSON (h1)";
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);

    private WebCost() {
    }

    /** One load: how to run it for a duration, in calls/s, and how many messages one call counts for. */
    private record Load(String server, Rate rate, int counted) {
    }

    @FunctionalInterface
    private interface Rate {
        double callsPerSecond(Duration duration) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        int channels = Integer.getInteger("bench.channels", 2);
        int streams = Integer.getInteger("bench.outstanding", 16);
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 5));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 2));
        int rounds = Integer.getInteger("bench.rounds", 5);
        int webConnections = channels * streams;
        int floodConnections = 4 * webConnections;

        int grpcPort = AppProcess.freePort();
        int httpPort = AppProcess.freePort();
        // All load comes from 127.0.0.1: the per-client cap (one browser's share) would refuse most of it.
        List<String> command = ServiceCommand.of(ServiceCommand.jvmArgs(), List.of("-jar", ServiceCommand.jar()),
                grpcPort, httpPort, List.of("--web.max-calls-per-client=" + 2 * floodConnections));
        Report report = new Report(List.of(NATIVE, GRPC_WEB, CONNECT_JSON));
        String probes;
        try (ServerProcess server = ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), grpcPort,
                out.resolve("web-cost.log"))) {
            String web = "http://127.0.0.1:" + httpPort;
            checkWebAnswers(web);
            byte[] hello = HelloRequest.newBuilder().setName("benchmark").build().toByteArray();
            byte[] start = ChatMessage.newBuilder().setMessageText("benchmark").build().toByteArray();
            byte[] helloJson = "{\"name\":\"benchmark\"}".getBytes(StandardCharsets.UTF_8);
            byte[] startJson = "{\"messageText\":\"benchmark\"}".getBytes(StandardCharsets.UTF_8);
            String sayHello = "/" + GreeterGrpc.getSayHelloMethod().getFullMethodName();
            String serverStream = "/" + ChatServiceGrpc.getServerStreamMethod().getFullMethodName();
            Wrk webStream = new Wrk(web + serverStream, RawHttp2Client.frame(start),
                    Map.of("Content-Type", "application/grpc-web+proto"), out.resolve("web-stream.lua"));
            Map<String, List<Load>> workloads = new LinkedHashMap<>();
            workloads.put("unary calls/s", List.of(
                    nativeLoad(grpcPort, sayHello, RawHttp2Client.frame(hello), channels, streams, out, 1),
                    webLoad(GRPC_WEB, new Wrk(web + sayHello, RawHttp2Client.frame(hello),
                            Map.of("Content-Type", "application/grpc-web+proto"), out.resolve("web-hello.lua")),
                            webConnections, 1),
                    webLoad(CONNECT_JSON, new Wrk(web + sayHello, helloJson,
                            Map.of("Content-Type", "application/json"), out.resolve("json-hello.lua")),
                            webConnections, 1)));
            workloads.put("ServerStream messages/s", List.of(
                    nativeLoad(grpcPort, serverStream, RawHttp2Client.frame(start), channels, streams, out, 3),
                    webLoad(GRPC_WEB, webStream, webConnections, 3),
                    webLoad(CONNECT_JSON, new Wrk(web + serverStream, RawHttp2Client.frame(startJson),
                            Map.of("Content-Type", "application/connect+json"), out.resolve("json-stream.lua")),
                            webConnections, 3)));
            for (List<Load> loads : workloads.values()) {
                for (Load load : loads) {
                    load.rate().callsPerSecond(warmup);
                }
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (Map.Entry<String, List<Load>> workload : workloads.entrySet()) {
                    List<Load> loads = workload.getValue();
                    for (int i = 0; i < loads.size(); i++) {
                        Load load = loads.get((r + i) % loads.size());
                        report.add(workload.getKey(), load.server(),
                                load.rate().callsPerSecond(round) * load.counted());
                    }
                }
            }
            probes = "| readiness probes | probes | not 200 | median | p99 | max |\n|---|---:|---:|---:|---:|---:|\n"
                    + probe(web, "quiet HTTP port", Duration.ofSeconds(3))
                    + readinessUnderFlood(web, webStream, floodConnections, Duration.ofSeconds(10));
        }
        StringBuilder ratios = new StringBuilder("\n| ratio to native gRPC | gRPC-Web | Connect JSON |\n|---|---:|---:|\n");
        for (String label : report.labels()) {
            double base = report.median(label, NATIVE).orElseThrow();
            ratios.append(String.format(Locale.ROOT, "| %s | %.2fx | %.2fx |%n", label,
                    report.median(label, GRPC_WEB).orElseThrow() / base,
                    report.median(label, CONNECT_JSON).orElseThrow() / base));
        }
        String result = "# grpc-patterns: the web protocols against native gRPC, same jar, same run\n\n"
                + Runtime.getRuntime().availableProcessors() + " cores, load average at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "; native: h2load, " + channels
                + " connections x " + streams + " streams; web: wrk, " + webConnections
                + " HTTP/1.1 connections; medians of " + rounds + " rounds of " + round.toSeconds() + " s\n\n"
                + report.table() + ratios + "\n" + probes;
        System.out.println(result);
        Files.writeString(out.resolve("web-cost.md"), result);
    }

    private static Load nativeLoad(int port, String path, byte[] body, int channels, int streams, Path out,
            int counted) throws Exception {
        Path file = out.resolve(path.substring(path.lastIndexOf('/') + 1) + "-native.body");
        Files.write(file, body);
        List<String> arguments = List.of("-c", Integer.toString(channels), "-m", Integer.toString(streams), "-d",
                file.toString(), "-H", "content-type: application/grpc", "-H", "te: trailers",
                "http://127.0.0.1:" + port + path);
        return new Load(NATIVE, duration -> {
            List<String> timed = new ArrayList<>(List.of("-D", Long.toString(duration.toSeconds())));
            timed.addAll(arguments);
            H2Load.Calls calls = H2Load.run(timed);
            return calls.succeeded() / calls.seconds();
        }, counted);
    }

    private static Load webLoad(String server, Wrk wrk, int connections, int counted) {
        return new Load(server, duration -> wrk.callsPerSecond(connections, duration), counted);
    }

    /** wrk cannot read a status from a body: each web body is sent once by a client that checks the answer. */
    private static void checkWebAnswers(String web) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> json = client.send(HttpRequest.newBuilder(URI.create(web
                + "/grpcpatterns.v1.Greeter/SayHello")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"benchmark\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (!json.body().equals("{\"responseText\":\"Hello, benchmark!\"}")) {
            throw new IllegalStateException("Connect JSON answered " + json.statusCode() + " " + json.body());
        }
        HttpResponse<byte[]> stream = client.send(HttpRequest.newBuilder(URI.create(web
                + "/grpcpatterns.v1.ChatService/ServerStream")).header("content-type", "application/grpc-web+proto")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RawHttp2Client.frame(
                        ChatMessage.newBuilder().setMessageText("x").build().toByteArray()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(stream.body(), StandardCharsets.ISO_8859_1);
        if (!body.contains("Good bye") || !body.contains("grpc-status: 0")) {
            throw new IllegalStateException("gRPC-Web ServerStream answered " + stream.statusCode() + " " + body);
        }
    }

    /**
     * A flood of gRPC-Web streams on the HTTP port ({@code connections} HTTP/1.1 connections) while readiness is
     * probed.
     */
    private static String readinessUnderFlood(String web, Wrk flood, int connections, Duration duration)
            throws Exception {
        Wrk.Running running = flood.run(connections, duration);
        Thread.sleep(1000); // the flood's connections open first
        String row = probe(web, "HTTP port flooded by " + connections + " connections of gRPC-Web streams",
                duration.minusSeconds(2));
        running.waitForOutput(duration);
        return row;
    }

    /**
     * Readiness asked every 100 ms for {@code duration}, each time on a new connection (as a kubelet and Docker's health
     * check do): a table row of how long the answers took.
     */
    private static String probe(String web, String during, Duration duration) throws Exception {
        List<Double> millis = new ArrayList<>();
        int failures = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            HttpURLConnection probe = (HttpURLConnection) URI.create(web + "/actuator/health/readiness").toURL()
                    .openConnection();
            probe.setRequestProperty("Connection", "close");
            probe.setConnectTimeout(5000);
            probe.setReadTimeout(5000);
            try {
                if (probe.getResponseCode() != 200) {
                    failures++;
                }
                probe.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                failures++;
            } finally {
                probe.disconnect();
            }
            millis.add((System.nanoTime() - started) / 1e6);
            Thread.sleep(PROBE_EVERY.toMillis());
        }
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f ms | %.1f ms | %.1f ms |%n", during, sorted.size(),
                failures, sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }
}
