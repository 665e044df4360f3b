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
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The service as users run it (demo off, no pacing) against a baseline: the same service classes on a bare
 * grpc-java server ({@link BaselineServer}), each in its own JVM with the same flags, under the same load,
 * rounds alternating between the two. Start-up is measured for plain {@code java -jar} and for the
 * extracted jar with the archive of a training run ({@link TrainedLaunch}), as the Docker image starts it;
 * the load runs against the latter. The servers run on the JVM that runs the benchmark.
 * Prints and writes a table of medians and ratios.
 *
 * <p>Run by {@code ./mvnw -Pbenchmark verify -DskipTests}, which passes every {@code bench.*} setting
 * (defaults in the pom's benchmark profile).
 */
public final class Benchmark {

    private static final String JAR = "java -jar";

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(setting("bench.out"));
        Files.createDirectories(out);
        List<String> jvmArgs = words(setting("bench.server-jvm-args"));
        List<String> messages = IntStream.rangeClosed(1, intSetting("bench.server-stream-messages"))
                .mapToObj(i -> "message " + i).toList();
        LoadGenerator.Shape shape = new LoadGenerator.Shape(intSetting("bench.channels"),
                intSetting("bench.outstanding"), intSetting("bench.client-stream-messages"),
                intSetting("bench.chat-messages"), intSetting("bench.chat-window"));
        Duration warmup = Duration.ofSeconds(intSetting("bench.warmup-seconds"));
        Duration round = Duration.ofSeconds(intSetting("bench.round-seconds"));
        int rounds = intSetting("bench.rounds");
        int starts = intSetting("bench.starts");
        String machine = machine(jvmArgs);
        System.out.println(machine);

        Path jar = Path.of(setting("bench.jar"));
        TrainedLaunch trained = TrainedLaunch.prepare(java(), jar, out.resolve("app"), jvmArgs);
        Server plainJar = new Server("service-jar", true, serviceCommand(jvmArgs, List.of("-jar", jar.toString()),
                messages), out);
        Server service = new Server("service", true, serviceCommand(jvmArgs, trained.javaArgs(), messages), out);
        Server baseline = new Server("baseline", false, baselineCommand(jvmArgs, messages), out);
        Report report = new Report();

        // Start-up: the three launches in turn; the last start of the service and the baseline serve the load.
        ServerProcess[] running = new ServerProcess[2];
        try {
            for (int i = 1; i <= starts; i++) {
                for (Server server : i % 2 == 0 ? List.of(baseline, service, plainJar)
                        : List.of(plainJar, service, baseline)) {
                    ServerProcess process = server.start();
                    if (server != service) {
                        addStartup(report, JAR, server.isService(), process);
                    }
                    if (server != plainJar) {
                        addStartup(report, trained.name(), server.isService(), process);
                    }
                    if (i == starts && server != plainJar) {
                        running[server == service ? 0 : 1] = process;
                    } else {
                        process.close();
                    }
                }
            }
            measureLoad(report, running, shape, warmup, round, rounds);
            report.add("RSS after load (MiB)", true, running[0].rssMib());
            report.add("RSS after load (MiB)", false, running[1].rssMib());
        } finally {
            for (ServerProcess process : running) {
                if (process != null) {
                    process.close();
                }
            }
        }

        String result = "# grpc-patterns benchmark, " + Instant.now() + "\n\n" + machine + ", at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + report.table();
        System.out.println();
        System.out.println(result);
        Path table = out.resolve("results.md");
        Files.writeString(table, result);
        System.out.println("written to " + table);
    }

    /** Warms both servers up on every workload, then measures rounds that alternate which goes first. */
    private static void measureLoad(Report report, ServerProcess[] servers, LoadGenerator.Shape shape,
            Duration warmup, Duration round, int rounds) throws InterruptedException {
        try (LoadGenerator service = new LoadGenerator(servers[0].port(), shape);
                LoadGenerator baseline = new LoadGenerator(servers[1].port(), shape)) {
            for (Workload workload : Workload.values()) {
                service.run(workload, warmup);
                baseline.run(workload, warmup);
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (Workload workload : Workload.values()) {
                    for (int s : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                        double cpuBefore = servers[s].cpuMillis();
                        LoadGenerator.Result result = (s == 0 ? service : baseline).run(workload, round);
                        double cpu = servers[s].cpuMillis() - cpuBefore;
                        report.add(workload.label, s == 0, result.perSecond());
                        report.add(workload.unit + ": server CPU each (µs)", s == 0, cpu * 1000 / result.total());
                        if (workload == Workload.UNARY) {
                            report.add("unary p50 latency (ms)", s == 0, result.latencyMillis(0.50));
                            report.add("unary p99 latency (ms)", s == 0, result.latencyMillis(0.99));
                        }
                    }
                }
            }
        }
    }

    private static void addStartup(Report report, String launch, boolean service, ServerProcess process) {
        report.add("start-up to first call, " + launch + " (ms)", service, process.startupMillis());
        report.add("start-up CPU time, " + launch + " (ms)", service, process.startupCpuMillis());
    }

    /** One server under test and how to start it on a given port. */
    private record Server(String name, boolean isService, CommandForPort command, Path out) {

        ServerProcess start() throws IOException, InterruptedException {
            int port = AppProcess.freePort();
            // The C library's malloc arenas as the Docker image limits them (ENV MALLOC_ARENA_MAX), for both.
            Map<String, String> environment = Map.of("MALLOC_ARENA_MAX", setting("bench.malloc-arena-max"));
            return ServerProcess.start(command.forPort(port), environment, port, out.resolve(name + ".log"));
        }
    }

    @FunctionalInterface
    private interface CommandForPort {
        List<String> forPort(int port);
    }

    private static CommandForPort serviceCommand(List<String> jvmArgs, List<String> launch, List<String> messages) {
        return port -> {
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmArgs);
            command.addAll(launch);
            command.addAll(List.of("--demo.enabled=false", "--chat.server-stream.interval=0",
                    "--logging.level.dev.grpcpatterns.chat.messages=OFF",
                    "--chat.server-stream.messages=" + String.join(",", messages),
                    "--grpc.server.port=" + port, "--server.port=" + AppProcess.freePort()));
            command.addAll(words(setting("bench.service-args")));
            return command;
        };
    }

    private static CommandForPort baselineCommand(List<String> jvmArgs, List<String> messages) {
        return port -> {
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmArgs);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                    Integer.toString(port)));
            command.addAll(messages);
            return command;
        };
    }

    private static String machine(List<String> jvmArgs) throws IOException {
        return String.format("Server JVM flags: %s%nMachine: %d cores, %s %s (%s), load average at start %s",
                String.join(" ", jvmArgs), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("os.name"), Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
