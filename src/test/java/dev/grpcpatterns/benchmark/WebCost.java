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
import java.util.OptionalDouble;

/**
 * What the web protocols cost (docs/web.md#cost): the same jar, the same service, in the same run and rounds
 * alternating: native gRPC over HTTP/2 on the gRPC port (h2load: {@code channels} connections x {@code outstanding}
 * streams) against gRPC-Web and Connect JSON over HTTP/1.1 on the HTTP port (wrk: as many keep-alive connections as
 * the native client has streams, one call at a time each, as browsers do). Rows: unary calls/s and ServerStream
 * messages/s (the article's three, unpaced). Then the probes under a flood: readiness asked every 100 ms on a new
 * connection, as a kubelet or Docker's health check does, first on a quiet port, then while four times as many
 * connections hammer the HTTP port with gRPC-Web streams.
 *
 * <p>The ceiling, in the unary row: what HTTP/1.1 on Tomcat itself allows here, the same wrk load against the same
 * Tomcat answering the same bytes from a servlet that does nothing else ({@link TomcatCeiling}), answered on the
 * request's thread and, as a web call is, asynchronously from another thread. With {@code -Dbench.before-jar=<an
 * earlier jar>} the earlier jar's web calls are measured too, in the same rounds (a change's cost, as
 * {@link CallPathCost} does for native calls).
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmark verify -DskipTests -Dbench.only=web} (with {@code bench.*} settings as
 * the benchmark's). Needs h2load and wrk (Debian's nghttp2-client and wrk).
 */
public final class WebCost {

    private static final String NATIVE = "native gRPC (h2)";
    private static final String GRPC_WEB = "gRPC-Web (h1)";
    private static final String CONNECT_JSON = "Connect JSON (h1)";
    private static final String BEFORE = ", earlier jar";
    private static final String CEILING = "Tomcat alone (h1)";
    private static final String CEILING_ASYNC = "Tomcat alone, async (h1)";
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);

    private WebCost() {
    }

    /**
     * One load: how to run it for a duration, how many messages one call counts for, and the process answering it
     * (for its CPU time).
     */
    private record Load(String server, Rate rate, int counted, long pid) {
    }

    @FunctionalInterface
    private interface Rate {
        Wrk.Result run(Duration duration) throws Exception;
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
        String beforeJar = System.getProperty("bench.before-jar", "").isBlank() ? null
                : System.getProperty("bench.before-jar");
        List<String> columns = new ArrayList<>(List.of(NATIVE, GRPC_WEB, CONNECT_JSON));
        if (beforeJar != null) {
            columns.addAll(List.of(GRPC_WEB + BEFORE, CONNECT_JSON + BEFORE));
        }
        columns.addAll(List.of(CEILING, CEILING_ASYNC));
        Report report = new Report(columns);
        Report latencies = new Report(columns);
        Report cpu = new Report(columns);
        Map<String, Long> calls = new LinkedHashMap<>();
        Map<String, Long> cut = new LinkedHashMap<>();
        String probes;
        int ceilingPort = AppProcess.freePort();
        int beforeGrpcPort = AppProcess.freePort();
        int beforeHttpPort = AppProcess.freePort();
        try (ServerProcess server = ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), grpcPort,
                out.resolve("web-cost.log"));
                ServerProcess before = beforeJar == null ? null : ServerProcess.start(ServiceCommand.of(
                        ServiceCommand.jvmArgs(), List.of("-jar", beforeJar), beforeGrpcPort, beforeHttpPort,
                        // Its own settings, not the working directory's application.yml (which Boot would read).
                        List.of("--spring.config.location=classpath:/application.yml",
                                "--web.max-calls-per-client=" + 2 * floodConnections)),
                        Map.of("MALLOC_ARENA_MAX", "2"), beforeGrpcPort, out.resolve("web-cost-before.log"));
                Ceiling ceiling = Ceiling.start(ceilingPort, out.resolve("web-cost-ceiling.log"))) {
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
            List<String> bases = new ArrayList<>(List.of(web));
            if (before != null) {
                bases.add("http://127.0.0.1:" + beforeHttpPort);
                checkWebAnswers(bases.get(1));
            }
            Map<String, List<Load>> workloads = new LinkedHashMap<>();
            List<Load> unary = new ArrayList<>(List.of(
                    nativeLoad(grpcPort, sayHello, RawHttp2Client.frame(hello), channels, streams, out, 1,
                            server.pid())));
            List<Load> streamed = new ArrayList<>(List.of(
                    nativeLoad(grpcPort, serverStream, RawHttp2Client.frame(start), channels, streams, out, 3,
                            server.pid())));
            for (int b = 0; b < bases.size(); b++) {
                String base = bases.get(b);
                String suffix = b == 0 ? "" : BEFORE;
                long pid = b == 0 ? server.pid() : before.pid();
                unary.add(webLoad(GRPC_WEB + suffix, new Wrk(base + sayHello, RawHttp2Client.frame(hello),
                        Map.of("Content-Type", "application/grpc-web+proto"), out.resolve(b + "-web-hello.lua")),
                        webConnections, 1, pid));
                unary.add(webLoad(CONNECT_JSON + suffix, new Wrk(base + sayHello, helloJson,
                        Map.of("Content-Type", "application/json"), out.resolve(b + "-json-hello.lua")),
                        webConnections, 1, pid));
                streamed.add(webLoad(GRPC_WEB + suffix, b == 0 ? webStream : new Wrk(base + serverStream,
                        RawHttp2Client.frame(start), Map.of("Content-Type", "application/grpc-web+proto"),
                        out.resolve(b + "-web-stream.lua")), webConnections, 3, pid));
                streamed.add(webLoad(CONNECT_JSON + suffix, new Wrk(base + serverStream,
                        RawHttp2Client.frame(startJson), Map.of("Content-Type", "application/connect+json"),
                        out.resolve(b + "-json-stream.lua")), webConnections, 3, pid));
            }
            String tomcat = "http://127.0.0.1:" + ceilingPort;
            unary.add(webLoad(CEILING, new Wrk(tomcat + "/sync", RawHttp2Client.frame(hello),
                    Map.of("Content-Type", "application/grpc-web+proto"), out.resolve("ceiling.lua")),
                    webConnections, 1, ceiling.process().pid()));
            unary.add(webLoad(CEILING_ASYNC, new Wrk(tomcat + "/async", RawHttp2Client.frame(hello),
                    Map.of("Content-Type", "application/grpc-web+proto"), out.resolve("ceiling-async.lua")),
                    webConnections, 1, ceiling.process().pid()));
            workloads.put("unary calls/s", unary);
            workloads.put("ServerStream messages/s", streamed);
            for (List<Load> loads : workloads.values()) {
                for (Load load : loads) {
                    load.rate().run(warmup);
                }
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (Map.Entry<String, List<Load>> workload : workloads.entrySet()) {
                    List<Load> loads = workload.getValue();
                    for (int i = 0; i < loads.size(); i++) {
                        Load load = loads.get((r + i) % loads.size());
                        double cpuBefore = ServerProcess.cpuMillis(load.pid());
                        Wrk.Result result = load.rate().run(round);
                        cpu.add(workload.getKey().replaceAll(" .*", "") + " call, server CPU µs", load.server(),
                                (ServerProcess.cpuMillis(load.pid()) - cpuBefore) * 1000 / result.calls());
                        report.add(workload.getKey(), load.server(), result.callsPerSecond() * load.counted());
                        if (!Double.isNaN(result.medianMillis())) {
                            latencies.add(workload.getKey().replaceAll(" .*", "") + " call, median ms",
                                    load.server(), result.medianMillis());
                        }
                        calls.merge(load.server(), result.calls(), Long::sum);
                        cut.merge(load.server(), result.socketErrors(), Long::sum);
                    }
                }
            }
            probes = "| readiness probes | probes | not 200 | median | p99 | max |\n|---|---:|---:|---:|---:|---:|\n"
                    + probe(web, "quiet HTTP port", Duration.ofSeconds(3))
                    + readinessUnderFlood(web, webStream, floodConnections, Duration.ofSeconds(10));
        }
        StringBuilder ratios = new StringBuilder("\n| ratio to native gRPC |");
        List<String> others = columns.subList(1, columns.size());
        others.forEach(column -> ratios.append(' ').append(column).append(" |"));
        ratios.append("\n|---|").append("---:|".repeat(others.size())).append('\n');
        for (String label : report.labels()) {
            double base = report.median(label, NATIVE).orElseThrow();
            ratios.append("| ").append(label).append(" |");
            for (String column : others) {
                OptionalDouble value = report.median(label, column);
                ratios.append(value.isPresent() ? String.format(Locale.ROOT, " %.2fx |", value.getAsDouble() / base)
                        : " – |");
            }
            ratios.append('\n');
        }
        String result = "# grpc-patterns: the web protocols against native gRPC, same jar, same run\n\n"
                + Runtime.getRuntime().availableProcessors() + " cores, load average at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "; native: h2load, " + channels
                + " connections x " + streams + " streams; web: wrk, " + webConnections
                + " HTTP/1.1 connections; medians of " + rounds + " rounds of " + round.toSeconds() + " s\n\n"
                + report.table() + ratios
                + "\nLatency (wrk's median per round; h2load's are not comparable: " + streams
                + " calls share a connection):\n\n" + latencies.table()
                + "\nServer CPU time per call (user + system, /proc/PID/stat, over each round):\n\n" + cpu.table()
                + "\n" + connectionsCut(calls, cut) + "\n" + probes;
        System.out.println(result);
        Files.writeString(out.resolve("web-cost.md"), result);
    }

    private static Load nativeLoad(int port, String path, byte[] body, int channels, int streams, Path out,
            int counted, long pid) throws Exception {
        Path file = out.resolve(path.substring(path.lastIndexOf('/') + 1) + "-native.body");
        Files.write(file, body);
        List<String> arguments = List.of("-c", Integer.toString(channels), "-m", Integer.toString(streams), "-d",
                file.toString(), "-H", "content-type: application/grpc", "-H", "te: trailers",
                "http://127.0.0.1:" + port + path);
        return new Load(NATIVE, duration -> {
            List<String> timed = new ArrayList<>(List.of("-D", Long.toString(duration.toSeconds())));
            timed.addAll(arguments);
            H2Load.Calls done = H2Load.run(timed);
            return new Wrk.Result(done.succeeded(), done.succeeded() / done.seconds(), Double.NaN, 0);
        }, counted, pid);
    }

    /**
     * Calls whose HTTP/1.1 connection failed before their answer (wrk's socket errors), per column, over the rounds:
     * shown, not fatal, so that a rare one does not lose the run's numbers.
     */
    private static String connectionsCut(Map<String, Long> calls, Map<String, Long> cut) {
        StringBuilder line = new StringBuilder("Connections cut before an answer (wrk's socket errors, all rounds):");
        cut.forEach((server, errors) -> {
            if (!server.equals(NATIVE)) {
                line.append(String.format(Locale.ROOT, " %s %d of %,d calls;", server, errors, calls.get(server)));
            }
        });
        return line.append('\n').toString();
    }

    /** {@link TomcatCeiling} in a JVM of its own with the server's flags. */
    private record Ceiling(Process process) implements AutoCloseable {

        static Ceiling start(int port, Path log) throws Exception {
            List<String> command = new ArrayList<>(List.of(ServiceCommand.java()));
            command.addAll(ServiceCommand.jvmArgs());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), TomcatCeiling.class.getName(),
                    Integer.toString(port)));
            Ceiling ceiling = new Ceiling(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sync"))
                            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return ceiling;
                } catch (java.io.IOException notYet) {
                    if (!ceiling.process.isAlive() || System.nanoTime() > end) {
                        ceiling.close();
                        throw new IllegalStateException("TomcatCeiling did not start:\n" + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static Load webLoad(String server, Wrk wrk, int connections, int counted, long pid) {
        return new Load(server, duration -> wrk.load(connections, duration), counted, pid);
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
