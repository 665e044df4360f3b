package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.support.AppProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a setting costs: every variant started as its own JVM with the benchmark's flags (the first variant the
 * reference), all of them under the same unary and Chat load from both clients (grpc-java's stubs and h2load), rounds
 * rotating which goes first. Each row is a variant against the first, measured in the same rounds: calls or messages
 * per second, the server's CPU time per call or message, and the bytes its threads allocated per call or message (the
 * server's own counters: the machine's load does not move them).
 *
 * <p>The variants are started afresh {@code bench.starts} times (3), with {@code bench.rounds} rounds (3) each, and
 * every row's median is over all of them: a JVM's JIT compiles the same code differently from one start to the next,
 * by more than a cheap setting costs, so one start per variant measures which JVM was lucky (docs/observability.md).
 * Each client warms each variant up for {@code bench.warmup-seconds} (5) per workload. Other settings as in the
 * benchmark profile ({@code bench.*}), with its defaults; {@code bench.clients} picks the clients.
 */
final class VariantCost {

    /** A way to start the service: a jar ({@code bench.jar} by default) and its arguments. */
    record Variant(String name, String jar, List<String> args) {

        Variant(String name, List<String> args) {
            this(name, System.getProperty("bench.jar", "target/grpc-patterns.jar"), args);
        }
    }

    private VariantCost() {
    }

    /**
     * Measures {@code variants} on unary calls and Chat, prints the table and writes it to
     * {@code <bench.out>/<name>-cost.md}.
     */
    static void compare(String name, List<Variant> variants) throws Exception {
        compare(name, variants, List.of(Workload.UNARY, Workload.CHAT));
    }

    /** The same on {@code workloads}. */
    static void compare(String name, List<Variant> variants, List<Workload> workloads) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        int starts = Integer.getInteger("bench.starts", 3);
        Report report = new Report();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        for (int s = 0; s < starts; s++) {
            System.out.printf("start %d of %d%n", s + 1, starts);
            measure(name, variants, workloads, out, s, report);
        }
        String table = "# " + name + " cost (service = the variant, baseline = " + variants.get(0).name()
                + ", same rounds; " + starts + " starts of each)\n\nload average at start " + load + ", at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + report.table();
        System.out.println(table);
        Files.writeString(out.resolve(name + "-cost.md"), table);
    }

    /** Starts every variant once, warms each up and adds its rounds to {@code report}. */
    private static void measure(String name, List<Variant> variants, List<Workload> workloads, Path out, int start,
            Report report) throws Exception {
        List<String> jvmArgs = List.of(System.getProperty("bench.server-jvm-args",
                "-XX:+UseSerialGC -Xmx64m -XX:TrimNativeHeapInterval=5000").trim().split("\\s+"));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 5));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 3));
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<String> clients = List.of(System.getProperty("bench.clients", "grpc-java,h2load").split(","));
        LoadGenerator.Shape shape = new LoadGenerator.Shape(Integer.getInteger("bench.channels", 2),
                Integer.getInteger("bench.outstanding", 16), 100, Integer.getInteger("bench.chat-messages", 1000),
                Integer.getInteger("bench.chat-window", 8));

        List<ServerProcess> servers = new ArrayList<>();
        List<Map<String, ClientLoad>> loads = new ArrayList<>();
        try {
            for (int v = 0; v < variants.size(); v++) {
                int port = AppProcess.freePort();
                List<String> command = ServiceCommand.of(jvmArgs, List.of("-jar", variants.get(v).jar()), port,
                        variants.get(v).args());
                servers.add(ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), port,
                        out.resolve(name + "-" + v + "-start" + start + ".log")));
                Map<String, ClientLoad> byClient = new LinkedHashMap<>();
                if (clients.contains("grpc-java")) {
                    byClient.put("grpc-java client", new LoadGenerator(port, shape));
                }
                if (clients.contains("h2load")) {
                    byClient.put("h2load", new H2Load(port, shape, 3,
                            Integer.getInteger("bench.h2load-chat-messages", 100), out.resolve(name + "-h2load-" + v)));
                }
                loads.add(byClient);
            }
            // Every client warms every variant up: each drives its own paths through the server (h2load's headers
            // are not grpc-java's), and a path the JIT has not seen makes a first round slow.
            for (Workload workload : workloads) {
                for (Map<String, ClientLoad> load : loads) {
                    for (ClientLoad client : load.values()) {
                        client.warmUp(workload, warmup);
                    }
                }
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (String client : loads.get(0).keySet()) {
                    for (Workload workload : workloads) {
                        double[] perSecond = new double[variants.size()];
                        double[] cpuEach = new double[variants.size()];
                        double[] bytesEach = new double[variants.size()];
                        for (int i = 0; i < variants.size(); i++) {
                            int v = (i + r + start) % variants.size();
                            ServerProcess server = servers.get(v);
                            double cpuBefore = server.cpuMillis();
                            long bytesBefore = server.allocatedBytes();
                            LoadGenerator.Result result = loads.get(v).get(client).run(workload, round);
                            perSecond[v] = result.perSecond();
                            cpuEach[v] = (server.cpuMillis() - cpuBefore) * 1000 / result.total();
                            bytesEach[v] = (double) (server.allocatedBytes() - bytesBefore) / result.total();
                            System.out.printf("  %s, %s, %s: %,.0f/s, %.2f µs, %,.0f bytes%n", client,
                                    workload.label, variants.get(v).name(), perSecond[v], cpuEach[v], bytesEach[v]);
                        }
                        for (int v = 1; v < variants.size(); v++) {
                            String against = ", " + client + ", " + variants.get(v).name() + " vs "
                                    + variants.get(0).name();
                            add(report, workload.label + against, perSecond, v);
                            add(report, workload.unit + ": server CPU each (µs)" + against, cpuEach, v);
                            add(report, workload.unit + ": bytes allocated each" + against, bytesEach, v);
                        }
                    }
                }
            }
        } finally {
            for (Map<String, ClientLoad> load : loads) {
                for (ClientLoad client : load.values()) {
                    client.close();
                }
            }
            for (ServerProcess server : servers) {
                server.close();
            }
        }
    }

    private static void add(Report report, String row, double[] values, int variant) {
        report.add(row, true, values[variant]);
        report.add(row, false, values[0]);
    }
}
