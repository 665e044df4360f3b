package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.ChatMessage;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the web protocols cost (docs/web.md): the same jar, the same service, loaded by h2load in the same run and
 * rounds alternating: native gRPC over HTTP/2 on the gRPC port against gRPC-Web and Connect JSON over HTTP/1.1 on the
 * HTTP port ({@code h2load --h1}: one request per connection at a time, so as many connections as the native
 * client has streams). Rows: unary calls/s and ServerStream messages/s (the article's three, unpaced). Then the probes
 * under a flood: readiness answered while {@code --h1} connections hammer the HTTP port with gRPC-Web streams.
 *
 * <p>Run: {@code ./mvnw -B -ntp package -DskipTests}, then {@code java -cp "target/test-classes:target/classes:$(cat
 * target/cp.txt)" -Dbench.jar=target/grpc-patterns.jar dev.grpcpatterns.benchmark.WebCost} after {@code ./mvnw -q
 * dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}. Needs h2load (Debian's
 * nghttp2-client). Settings as the benchmark's ({@code bench.*}).
 */
public final class WebCost {

    private static final String NATIVE = "native gRPC (h2)";
    private static final String GRPC_WEB = "gRPC-Web (h1)";
    private static final String CONNECT_JSON = "Connect JSON (h1)";
    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");

    private WebCost() {
    }

    /** One load: h2load's target, body and headers, and how many messages one call counts for. */
    private record Load(String server, String url, Path body, List<String> headers, boolean h1, int counted) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        String jar = System.getProperty("bench.jar", "target/grpc-patterns.jar");
        List<String> jvmArgs = List.of(System.getProperty("bench.server-jvm-args",
                "-XX:+UseSerialGC -Xmx64m -XX:TrimNativeHeapInterval=5000").split(" "));
        int connections = Integer.getInteger("bench.channels", 2);
        int streams = Integer.getInteger("bench.outstanding", 16);
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 5));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 2));
        int rounds = Integer.getInteger("bench.rounds", 5);

        int grpcPort = AppProcess.freePort();
        int httpPort = AppProcess.freePort();
        List<String> command = ServiceCommand.of(jvmArgs, List.of("-jar", jar), grpcPort, httpPort, List.of());
        Report report = new Report(List.of(NATIVE, GRPC_WEB, CONNECT_JSON));
        StringBuilder probes = new StringBuilder();
        try (ServerProcess server = ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), grpcPort,
                out.resolve("web-cost.log"))) {
            String grpc = "http://127.0.0.1:" + grpcPort;
            String web = "http://127.0.0.1:" + httpPort;
            byte[] hello = HelloRequest.newBuilder().setName("benchmark").build().toByteArray();
            byte[] start = ChatMessage.newBuilder().setMessageText("benchmark").build().toByteArray();
            Map<String, List<Load>> workloads = Map.of(
                    "unary calls/s", List.of(
                            new Load(NATIVE, grpc + "/grpcpatterns.v1.Greeter/SayHello",
                                    body(out, "native-hello", RawHttp2Client.frame(hello)),
                                    List.of("content-type: application/grpc", "te: trailers"), false, 1),
                            new Load(GRPC_WEB, web + "/grpcpatterns.v1.Greeter/SayHello",
                                    body(out, "web-hello", RawHttp2Client.frame(hello)),
                                    List.of("content-type: application/grpc-web+proto"), true, 1),
                            new Load(CONNECT_JSON, web + "/grpcpatterns.v1.Greeter/SayHello",
                                    body(out, "json-hello", "{\"name\":\"benchmark\"}".getBytes(StandardCharsets.UTF_8)),
                                    List.of("content-type: application/json"), true, 1)),
                    "ServerStream messages/s", List.of(
                            new Load(NATIVE, grpc + "/grpcpatterns.v1.ChatService/ServerStream",
                                    body(out, "native-stream", RawHttp2Client.frame(start)),
                                    List.of("content-type: application/grpc", "te: trailers"), false, 3),
                            new Load(GRPC_WEB, web + "/grpcpatterns.v1.ChatService/ServerStream",
                                    body(out, "web-stream", RawHttp2Client.frame(start)),
                                    List.of("content-type: application/grpc-web+proto"), true, 3),
                            new Load(CONNECT_JSON, web + "/grpcpatterns.v1.ChatService/ServerStream",
                                    body(out, "json-stream", RawHttp2Client.frame(
                                            "{\"messageText\":\"benchmark\"}".getBytes(StandardCharsets.UTF_8))),
                                    List.of("content-type: application/connect+json"), true, 3)));
            checkWebAnswers(web);
            List<String> order = List.of("unary calls/s", "ServerStream messages/s");
            for (String workload : order) {
                for (Load load : workloads.get(workload)) {
                    h2load(load, connections, streams, warmup);
                }
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (String workload : order) {
                    List<Load> loads = workloads.get(workload);
                    for (int i = 0; i < loads.size(); i++) {
                        Load load = loads.get((r + i) % loads.size());
                        report.add(workload, load.server(), h2load(load, connections, streams, round));
                    }
                }
            }
            probes.append(readinessUnderFlood(web, workloads.get("ServerStream messages/s").get(1),
                    4 * connections * streams, Duration.ofSeconds(10)));
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
                + Files.readString(Path.of("/proc/loadavg")).trim() + "; h2load: native " + connections
                + " connections x " + streams + " streams, web " + connections * streams
                + " HTTP/1.1 connections\n\n" + report.table() + ratios + "\n" + probes;
        System.out.println(result);
        Files.writeString(out.resolve("web-cost.md"), result);
    }

    private static Path body(Path out, String name, byte[] bytes) throws Exception {
        Path file = out.resolve(name + ".body");
        Files.write(file, bytes);
        return file;
    }

    /** h2load cannot read a status from a body: each web body is sent once by a client that checks the answer. */
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

    private static double h2load(Load load, int connections, int streams, Duration duration) throws Exception {
        List<String> command = new ArrayList<>(List.of("h2load", "-D", Long.toString(duration.toSeconds()),
                "-d", load.body().toString()));
        if (load.h1()) {
            command.addAll(List.of("--h1", "-c", Integer.toString(connections * streams), "-m", "1"));
        } else {
            command.addAll(List.of("-c", Integer.toString(connections), "-m", Integer.toString(streams)));
        }
        load.headers().forEach(header -> command.addAll(List.of("-H", header)));
        command.add(load.url());
        Process h2load = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(h2load.getInputStream().readAllBytes());
        if (!h2load.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || h2load.exitValue() != 0) {
            h2load.destroyForcibly();
            throw new IllegalStateException("h2load failed:\n" + output);
        }
        Matcher finished = FINISHED.matcher(output);
        Matcher requests = REQUESTS.matcher(output);
        if (!finished.find() || !requests.find()) {
            throw new IllegalStateException("h2load's output not understood:\n" + output);
        }
        long failed = Long.parseLong(requests.group(5)) + Long.parseLong(requests.group(6));
        if (failed > 0) {
            throw new IllegalStateException(failed + " of h2load's calls failed:\n" + output);
        }
        return Long.parseLong(requests.group(4)) * load.counted() / Double.parseDouble(finished.group(1));
    }

    /**
     * A flood of gRPC-Web streams on the HTTP port ({@code connections} HTTP/1.1 connections) while readiness is asked
     * every 100 ms on a new connection, as a kubelet does: how long the probes took.
     */
    private static String readinessUnderFlood(String web, Load flood, int connections, Duration duration)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("h2load", "-D", Long.toString(duration.toSeconds()), "-d",
                flood.body().toString(), "--h1", "-c", Integer.toString(connections), "-m", "1"));
        flood.headers().forEach(header -> command.addAll(List.of("-H", header)));
        command.add(flood.url());
        Process h2load = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<Double> millis = new ArrayList<>();
        int failures = 0;
        long end = System.nanoTime() + duration.minusSeconds(1).toNanos();
        Thread.sleep(500);
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
            Thread.sleep(100);
        }
        h2load.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS);
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "Readiness while %d HTTP/1.1 connections flood the HTTP port with gRPC-Web "
                        + "ServerStream calls: %d probes, %d not 200, median %.1f ms, p99 %.1f ms, max %.1f ms (goal: "
                        + "under 1000 ms)%n", connections, sorted.size(), failures, sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }
}
