package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.support.AppProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The service as users run it (demo off, no pacing) against the servers it is measured by, each in its own
 * process with the same JVM flags and environment where it is a JVM, under the same load:
 * <ul>
 * <li>three bare grpc-java baselines ({@link BaselineServer}) serving the same service classes: with the service's
 *     executor and limits, the same plus its metric interceptor, and grpc-java's defaults;</li>
 * <li>peers a user would pick instead: the same classes on Spring gRPC, a grpc-go server and the article's
 *     Python server, built beforehand by {@code src/test/benchmark/build-peers.sh}.</li>
 * </ul>
 * Two clients load each server in turn, the grpc-java async stubs ({@link LoadGenerator}) and h2load
 * ({@link H2Load}), in rounds that rotate which server goes first. Start-up is measured for plain
 * {@code java -jar} and for the extracted jar with the archive of a training run ({@link TrainedLaunch}), as the
 * Docker image starts it; the load runs against the latter. Prints and writes a table of medians, the goals'
 * ratios, and the samples the charts are drawn from.
 *
 * <p>Run by {@code ./mvnw -Pbenchmark verify -DskipTests}, which passes every {@code bench.*} setting
 * (defaults in the pom's benchmark profile).
 */
public final class Benchmark {

    private static final String JAR = "java -jar";
    private static final String PLAIN = "plain launch";
    private static final String GRPC_JAVA_CLIENT = "grpc-java client";
    private static final String H2LOAD = "h2load";
    private static final String RSS = "RSS after load (MiB)";
    private static final String BARE = "bare";
    /** The servers' own ServerStream replies: the article's three, which every peer sends. */
    private static final int SERVER_STREAM_MESSAGES = 3;

    /** Every server the benchmark knows, in the table's order, and what each is. */
    private static final Map<String, String> SERVERS = legend();

    private Benchmark() {
    }

    private static Map<String, String> legend() {
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put(Report.SERVICE, "grpc-patterns (Spring Boot + net.devh), extracted jar + AOT cache, prod, as the image");
        servers.put(Report.BASELINE, "bare grpc-java, the service's executor and limits, nothing else");
        servers.put("baseline-metrics", "the same plus the service's metric interceptor (Micrometer, Prometheus)");
        servers.put("baseline-defaults", "bare grpc-java with its defaults (cached executor)");
        servers.put(BARE, "bare grpc-java on a fixed pool of 16 threads, nothing else: the call-path goals' floor");
        servers.put("spring-grpc", "the same service classes on Spring gRPC 0.12 (Boot 3.5, actuator, metrics)");
        servers.put("grpc-go", "grpc-go from Debian's packages (src/test/interop/go/server)");
        servers.put("python", "the article's Python server, grpcio from Debian, pauses taken out");
        return servers;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(setting("bench.out"));
        Path peers = Path.of(setting("bench.peers"));
        Files.createDirectories(out);
        List<String> jvmArgs = words(setting("bench.server-jvm-args"));
        LoadGenerator.Shape shape = new LoadGenerator.Shape(intSetting("bench.channels"),
                intSetting("bench.outstanding"), intSetting("bench.client-stream-messages"),
                intSetting("bench.chat-messages"), intSetting("bench.chat-window"));
        Duration warmup = Duration.ofSeconds(intSetting("bench.warmup-seconds"));
        Duration round = Duration.ofSeconds(intSetting("bench.round-seconds"));
        int rounds = intSetting("bench.rounds");
        int starts = intSetting("bench.starts");
        List<String> names = Arrays.asList(setting("bench.servers").split(","));
        List<String> clients = Arrays.asList(setting("bench.clients").split(","));
        String machine = machine(jvmArgs);
        System.out.println(machine);

        Path jar = Path.of(setting("bench.jar"));
        TrainedLaunch trained = TrainedLaunch.prepare(ServiceCommand.java(), jar, out.resolve("app"), jvmArgs);
        Server plainJar = new Server("service-jar", serviceCommand(jvmArgs, List.of("-jar", jar.toString()), List.of()),
                Map.of());
        Map<String, Server> known = Map.of(
                Report.SERVICE, new Server(Report.SERVICE, serviceCommand(jvmArgs, trained.javaArgs(),
                        TrainedLaunch.PROFILE), Map.of()),
                Report.BASELINE, new Server(Report.BASELINE, baselineCommand(jvmArgs, "settings"), Map.of()),
                "baseline-metrics", new Server("baseline-metrics", baselineCommand(jvmArgs, "metrics"), Map.of()),
                "baseline-defaults", new Server("baseline-defaults", baselineCommand(jvmArgs, "defaults"), Map.of()),
                BARE, new Server(BARE, baselineCommand(jvmArgs, BARE), Map.of()),
                "spring-grpc", new Server("spring-grpc", springGrpcCommand(jvmArgs, peers), Map.of()),
                "grpc-go", new Server("grpc-go", port -> List.of(peers.resolve("go/server").toString(),
                        "-port", Integer.toString(port), "-interval", "0"), Map.of()),
                "python", new Server("python", port -> List.of("/usr/bin/python3", "-u",
                        Path.of("src/test/benchmark/python_server.py").toAbsolutePath().toString()),
                        Map.of("PYTHONPATH", peers.resolve("python").toString(), "PYTHONDONTWRITEBYTECODE", "1")));
        List<String> order = SERVERS.keySet().stream().filter(names::contains).toList();
        Report report = new Report(order);

        Map<String, ServerProcess> running = new LinkedHashMap<>();
        try {
            // Start-up: the service's two launches and the bare server (issue 26's yardstick) in turn, several
            // times; the last start of each serves the load. The other servers start once.
            for (int i = 1; i <= starts; i++) {
                List<Server> turn = new ArrayList<>(List.of(plainJar, known.get(Report.SERVICE), known.get(BARE)));
                if (i % 2 == 0) {
                    Collections.reverse(turn);
                }
                for (Server server : turn) {
                    if (!order.contains(server == plainJar ? Report.SERVICE : server.name())) {
                        continue;
                    }
                    ServerProcess process = server.start(out);
                    String column = server == plainJar ? Report.SERVICE : server.name();
                    if (server != known.get(Report.SERVICE)) {
                        addStartup(report, JAR, column, process);
                    }
                    if (server != plainJar) {
                        addStartup(report, trained.name(), column, process);
                    }
                    if (i == starts && server != plainJar) {
                        running.put(server.name(), process);
                    } else {
                        process.close();
                    }
                }
            }
            for (String name : order) {
                if (!running.containsKey(name)) {
                    try {
                        ServerProcess process = known.get(name).start(out);
                        addStartup(report, PLAIN, name, process);
                        running.put(name, process);
                    } catch (IllegalStateException | IOException notStarted) {
                        System.out.println(name + " not measured: " + notStarted.getMessage());
                    }
                }
            }
            Map<String, ServerProcess> measured = new LinkedHashMap<>();
            order.stream().filter(running::containsKey).forEach(name -> measured.put(name, running.get(name)));
            Map<String, long[]> latencies = measureLoad(report, measured, clients, shape, out, warmup, round,
                    rounds);
            measured.forEach((name, process) -> report.add(RSS, name, process.rssMib()));
            Files.writeString(out.resolve("unary-latencies.tsv"), percentiles(latencies));
        } finally {
            for (ServerProcess process : running.values()) {
                process.close();
            }
        }

        String legend = order.stream().map(name -> "- **" + name + "**: " + SERVERS.get(name))
                .collect(Collectors.joining("\n"));
        String result = "# grpc-patterns benchmark, " + Instant.now() + "\n\n" + machine + ", at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + legend + "\n\n" + report.table()
                + "\n## Goals\n\n" + goals(trained.name()).table(report);
        System.out.println();
        System.out.println(result);
        Path table = out.resolve("results.md");
        Files.writeString(table, result);
        Files.writeString(out.resolve("samples.tsv"), report.samples());
        System.out.println("written to " + table);
    }

    /**
     * The goals. The call path's against {@code bare} under h2load: the one measurement of it that stands (issue 26,
     * docs/performance.md, "One measurement of the call path"); the JVM client's own CPU shares the machine with the
     * server and says more about the client. Then the peers, start-up and memory.
     */
    private static Goals goals(String trainedLaunch) {
        Goals goals = new Goals();
        goals.atLeast(throughputLabel(Workload.UNARY, H2LOAD), BARE, 0.85);
        goals.atMostMore(cpuLabel(Workload.UNARY, H2LOAD), BARE, 4.0);
        goals.atLeast(throughputLabel(Workload.SERVER_STREAM, H2LOAD), BARE, 0.90);
        goals.atLeast(throughputLabel(Workload.CLIENT_STREAM, H2LOAD), BARE, 0.90);
        goals.atLeast(throughputLabel(Workload.CHAT, H2LOAD), BARE, 1.0);
        for (String client : List.of(GRPC_JAVA_CLIENT, H2LOAD)) {
            for (Workload workload : Workload.values()) {
                goals.atLeast(throughputLabel(workload, client), "spring-grpc", 1.0);
            }
            goals.atLeast(throughputLabel(Workload.UNARY, client), "python", 5.0);
        }
        // Issue 26: with the image's launch, against bare (plain java -jar is measured, without a goal).
        goals.atMost(startupLabel(trainedLaunch), BARE, 2.5);
        goals.atMost(RSS, BARE, 1.4);
        return goals;
    }

    /**
     * Warms every server up on every workload, then measures rounds; in each round every client runs every
     * workload against every server, the servers' order rotating from round to round. Returns each server's
     * unary latencies (nanoseconds, grpc-java client) over all rounds.
     */
    private static Map<String, long[]> measureLoad(Report report, Map<String, ServerProcess> servers,
            List<String> clients, LoadGenerator.Shape shape, Path out, Duration warmup, Duration round, int rounds)
            throws Exception {
        int h2loadChatMessages = intSetting("bench.h2load-chat-messages");
        Map<String, Map<String, ClientLoad>> loads = new LinkedHashMap<>();
        Map<String, long[]> latencies = new HashMap<>();
        try {
            for (Map.Entry<String, ServerProcess> server : servers.entrySet()) {
                int port = server.getValue().port();
                Map<String, ClientLoad> byClient = new LinkedHashMap<>();
                if (clients.contains("grpc-java")) {
                    byClient.put(GRPC_JAVA_CLIENT, new LoadGenerator(port, shape));
                }
                if (clients.contains(H2LOAD)) {
                    byClient.put(H2LOAD, new H2Load(port, shape, SERVER_STREAM_MESSAGES, h2loadChatMessages,
                            out.resolve("h2load").resolve(server.getKey())));
                }
                loads.put(server.getKey(), byClient);
                latencies.put(server.getKey(), new long[0]);
                for (Workload workload : Workload.values()) {
                    byClient.values().iterator().next().warmUp(workload, warmup);
                }
            }
            List<String> names = new ArrayList<>(servers.keySet());
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (String client : loads.values().iterator().next().keySet()) {
                    for (Workload workload : Workload.values()) {
                        for (int i = 0; i < names.size(); i++) {
                            String name = names.get((i + r) % names.size());
                            ServerProcess server = servers.get(name);
                            double cpuBefore = server.cpuMillis();
                            LoadGenerator.Result result = loads.get(name).get(client).run(workload, round);
                            double cpu = server.cpuMillis() - cpuBefore;
                            report.add(throughputLabel(workload, client), name, result.perSecond());
                            if (result.total() > 0) {
                                report.add(cpuLabel(workload, client), name, cpu * 1000 / result.total());
                            }
                            if (result.latencies().length > 0) {
                                report.add("unary p50 latency (ms), " + client, name, result.latencyMillis(0.50));
                                report.add("unary p99 latency (ms), " + client, name, result.latencyMillis(0.99));
                                latencies.put(name, LongStream.concat(Arrays.stream(latencies.get(name)),
                                        Arrays.stream(result.latencies())).toArray());
                            }
                        }
                    }
                }
            }
        } finally {
            for (Map<String, ClientLoad> byClient : loads.values()) {
                for (ClientLoad load : byClient.values()) {
                    load.close();
                }
            }
        }
        return latencies;
    }

    static String throughputLabel(Workload workload, String client) {
        return workload.label + ", " + client;
    }

    static String cpuLabel(Workload workload, String client) {
        return workload.unit + ": server CPU each (µs), " + client;
    }

    private static String startupLabel(String launch) {
        return "start-up to first call, " + launch + " (ms)";
    }

    private static void addStartup(Report report, String launch, String server, ServerProcess process) {
        report.add(startupLabel(launch), server, process.startupMillis());
        report.add("start-up CPU time, " + launch + " (ms)", server, process.startupCpuMillis());
    }

    /** The unary latency distribution per server: percentile, then milliseconds, tab-separated. */
    private static String percentiles(Map<String, long[]> latencies) {
        StringBuilder lines = new StringBuilder();
        double[] quantiles = {0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.999};
        latencies.forEach((server, nanos) -> {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return;
            }
            LoadGenerator.Result all = new LoadGenerator.Result(0, sorted.length, sorted);
            for (double quantile : quantiles) {
                lines.append(server).append('\t').append(quantile * 100).append('\t')
                        .append(all.latencyMillis(quantile)).append('\n');
            }
        });
        return lines.toString();
    }

    /** One server under test, how to start it on a given port, and what its process's environment adds. */
    private record Server(String name, Function<Integer, List<String>> command, Map<String, String> environment) {

        ServerProcess start(Path out) throws IOException, InterruptedException {
            int port = AppProcess.freePort();
            // The C library's malloc arenas as the Docker image limits them (ENV MALLOC_ARENA_MAX), for all.
            Map<String, String> env = new HashMap<>(environment);
            env.put("MALLOC_ARENA_MAX", setting("bench.malloc-arena-max"));
            env.put("GRPC_PORT", Integer.toString(port));
            return ServerProcess.start(command.apply(port), env, port, out.resolve(name + ".log"));
        }
    }

    /** The service launched so, with the Spring arguments {@code profile} and then {@code bench.service-args}. */
    private static Function<Integer, List<String>> serviceCommand(List<String> jvmArgs, List<String> launch,
            List<String> profile) {
        List<String> args = new ArrayList<>(profile);
        args.addAll(words(setting("bench.service-args")));
        return port -> ServiceCommand.of(jvmArgs, launch, port, args);
    }

    /** {@link BaselineServer}'s {@code variant} with the benchmark's JVM flags. */
    static Function<Integer, List<String>> baselineCommand(List<String> jvmArgs, String variant) {
        return port -> {
            List<String> command = new ArrayList<>(List.of(ServiceCommand.java()));
            command.addAll(jvmArgs);
            command.addAll(List.of("-Dbaseline=" + variant, "-cp", System.getProperty("java.class.path"),
                    BaselineServer.class.getName(), Integer.toString(port)));
            return command;
        };
    }

    private static Function<Integer, List<String>> springGrpcCommand(List<String> jvmArgs, Path peers) {
        return port -> {
            List<String> command = new ArrayList<>(List.of(ServiceCommand.java()));
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", peers.resolve("spring-grpc.jar").toString(),
                    "--spring.grpc.server.port=" + port, "--server.port=" + AppProcess.freePort()));
            return command;
        };
    }

    private static String machine(List<String> jvmArgs) throws IOException {
        return String.format("Server JVM flags: %s%nMachine: %d cores, %s %s (%s), load average at start %s",
                String.join(" ", jvmArgs), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("os.name"), Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run through ./mvnw -Pbenchmark verify -DskipTests");
        }
        return value;
    }

    private static int intSetting(String name) {
        return Integer.parseInt(setting(name));
    }
}
