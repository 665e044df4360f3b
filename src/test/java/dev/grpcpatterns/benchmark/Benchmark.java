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
import java.util.stream.IntStream;

/**
 * The service as users run it ({@code java -jar}, demo off, no pacing) against a baseline: the same service
 * classes on a bare grpc-java server ({@link BaselineServer}), each in its own JVM with the same flags, under
 * the same load, rounds alternating between the two. Prints and writes a table of medians and ratios.
 *
 * <p>Run by {@code ./mvnw -Pbenchmark verify -DskipTests}, which passes every {@code bench.*} setting
 * (defaults in the pom's benchmark profile).
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(setting("bench.out"));
        Files.createDirectories(out);
        List<String> jvmArgs = Arrays.asList(setting("bench.server-jvm-args").trim().split("\\s+"));
        List<String> messages = IntStream.rangeClosed(1, intSetting("bench.server-stream-messages"))
                .mapToObj(i -> "message " + i).toList();
        LoadGenerator.Shape shape = new LoadGenerator.Shape(intSetting("bench.channels"),
                intSetting("bench.outstanding"), intSetting("bench.client-stream-messages"),
                intSetting("bench.chat-messages"), intSetting("bench.chat-window"));
        Duration warmup = Duration.ofSeconds(intSetting("bench.warmup-seconds"));
        Duration round = Duration.ofSeconds(intSetting("bench.round-seconds"));
        int rounds = intSetting("bench.rounds");
        int starts = intSetting("bench.starts");

        List<Server> servers = List.of(
                new Server("service", true, port -> serviceCommand(jvmArgs, port, messages), out),
                new Server("baseline", false, port -> baselineCommand(jvmArgs, port, messages), out));
        String machine = machine(jvmArgs);
        System.out.println(machine);
        Report report = new Report();

        // Start-up: alternate the two; the last start of each stays up for the load.
        for (int i = 1; i < starts; i++) {
            for (Server server : order(servers, i)) {
                try (ServerProcess process = server.start()) {
                    report.add("start-up to first call (ms)", server.isService(), process.startupMillis());
                }
            }
        }
        List<ServerProcess> running = new ArrayList<>();
        try {
            for (Server server : servers) {
                ServerProcess process = server.start();
                running.add(process);
                report.add("start-up to first call (ms)", server.isService(), process.startupMillis());
            }
            List<LoadGenerator> load = new ArrayList<>();
            for (ServerProcess process : running) {
                load.add(new LoadGenerator(process.port(), shape));
            }
            try {
                for (Workload workload : Workload.values()) {
                    for (LoadGenerator generator : load) {
                        generator.run(workload, warmup);
                    }
                }
                for (int r = 0; r < rounds; r++) {
                    System.out.printf("round %d of %d%n", r + 1, rounds);
                    for (Workload workload : Workload.values()) {
                        for (int s : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                            LoadGenerator.Result result = load.get(s).run(workload, round);
                            boolean service = servers.get(s).isService();
                            report.add(workload.label, service, result.perSecond());
                            if (workload == Workload.UNARY) {
                                report.add("unary p50 latency (ms)", service, result.latencyMillis(0.50));
                                report.add("unary p99 latency (ms)", service, result.latencyMillis(0.99));
                            }
                        }
                    }
                }
            } finally {
                for (LoadGenerator generator : load) {
                    generator.close();
                }
            }
            for (int s = 0; s < servers.size(); s++) {
                report.add("RSS after load (MiB)", servers.get(s).isService(), running.get(s).rssMib());
            }
        } finally {
            for (ServerProcess process : running) {
                process.close();
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

    /** One of the two servers under test. */
    private record Server(String name, boolean isService, CommandForPort command, Path out) {

        ServerProcess start() throws IOException, InterruptedException {
            int port = AppProcess.freePort();
            return ServerProcess.start(command.forPort(port), port, out.resolve(name + ".log"));
        }
    }

    @FunctionalInterface
    private interface CommandForPort {
        List<String> forPort(int port);
    }

    private static List<String> serviceCommand(List<String> jvmArgs, int port, List<String> messages) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", setting("bench.jar"),
                "--demo.enabled=false", "--chat.server-stream.interval=0",
                "--chat.server-stream.messages=" + String.join(",", messages),
                "--grpc.server.port=" + port, "--server.port=" + AppProcess.freePort()));
        command.addAll(Arrays.asList(setting("bench.service-args").trim().split("\\s+")).stream()
                .filter(arg -> !arg.isEmpty()).toList());
        return command;
    }

    private static List<String> baselineCommand(List<String> jvmArgs, int port, List<String> messages) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                Integer.toString(port)));
        command.addAll(messages);
        return command;
    }

    private static List<Server> order(List<Server> servers, int round) {
        return round % 2 == 0 ? servers : List.of(servers.get(1), servers.get(0));
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
