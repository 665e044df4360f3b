package dev.grpcpatterns.benchmark;

import com.sun.net.httpserver.HttpServer;
import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.support.AppProcess;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What tracing costs: the service with tracing off, at the default sampling (0.1) and at 1.0, each in its own
 * JVM with the benchmark's flags, under the same unary and Chat load, rounds rotating which goes first. The traced
 * ones report their spans over HTTP, as to Zipkin, to a sink in this JVM that accepts and drops them, so encoding
 * and sending are paid for too. Each row is a traced variant against "off" measured in the same rounds.
 *
 * <p>{@code java -cp <test classpath> -Dbench.jar=target/grpc-patterns.jar dev.grpcpatterns.benchmark.TracingCost}
 * (docs/observability.md; settings as in the benchmark profile, with its defaults).
 */
public final class TracingCost {

    private TracingCost() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        List<String> jvmArgs = List.of(System.getProperty("bench.server-jvm-args",
                "-XX:+UseSerialGC -Xmx64m -XX:TrimNativeHeapInterval=5000").trim().split("\\s+"));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 10));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 3));
        int rounds = Integer.getInteger("bench.rounds", 5);
        LoadGenerator.Shape shape = new LoadGenerator.Shape(Integer.getInteger("bench.channels", 2),
                Integer.getInteger("bench.outstanding", 16), 100, Integer.getInteger("bench.chat-messages", 1000),
                Integer.getInteger("bench.chat-window", 8));

        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/api/v2/spans", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sink.start();
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/api/v2/spans";

        List<String> variants = List.of("off", "sampling 0.1 (default)", "sampling 1.0");
        List<List<String>> variantArgs = List.of(
                List.of("--management.tracing.enabled=false"),
                List.of("--management.tracing.enabled=true", "--management.zipkin.tracing.export.enabled=true",
                        "--management.zipkin.tracing.endpoint=" + endpoint),
                List.of("--management.tracing.enabled=true", "--management.zipkin.tracing.export.enabled=true",
                        "--management.zipkin.tracing.endpoint=" + endpoint,
                        "--management.tracing.sampling.probability=1.0"));
        List<ServerProcess> servers = new ArrayList<>();
        List<LoadGenerator> loads = new ArrayList<>();
        Report report = new Report();
        try {
            for (int v = 0; v < variants.size(); v++) {
                int port = AppProcess.freePort();
                List<String> command = ServiceCommand.of(jvmArgs,
                        List.of("-jar", System.getProperty("bench.jar", "target/grpc-patterns.jar")), port,
                        variantArgs.get(v));
                servers.add(ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), port,
                        out.resolve("tracing-" + v + ".log")));
                loads.add(new LoadGenerator(port, shape));
            }
            for (Workload workload : List.of(Workload.UNARY, Workload.CHAT)) {
                for (LoadGenerator load : loads) {
                    load.run(workload, warmup);
                }
            }
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d of %d%n", r + 1, rounds);
                for (Workload workload : List.of(Workload.UNARY, Workload.CHAT)) {
                    double[] perSecond = new double[variants.size()];
                    double[] cpuEach = new double[variants.size()];
                    for (int i = 0; i < variants.size(); i++) {
                        int v = (i + r) % variants.size();
                        double cpuBefore = servers.get(v).cpuMillis();
                        LoadGenerator.Result result = loads.get(v).run(workload, round);
                        perSecond[v] = result.perSecond();
                        cpuEach[v] = (servers.get(v).cpuMillis() - cpuBefore) * 1000 / result.total();
                    }
                    for (int v = 1; v < variants.size(); v++) {
                        String row = workload.label + ", tracing " + variants.get(v) + " vs off";
                        report.add(row, true, perSecond[v]);
                        report.add(row, false, perSecond[0]);
                        String cpuRow = workload.unit + ": server CPU each (µs), tracing " + variants.get(v) + " vs off";
                        report.add(cpuRow, true, cpuEach[v]);
                        report.add(cpuRow, false, cpuEach[0]);
                    }
                }
            }
        } finally {
            for (LoadGenerator load : loads) {
                load.close();
            }
            for (ServerProcess server : servers) {
                server.close();
            }
            sink.stop(0);
        }
        String table = "# tracing cost (service = traced, baseline = tracing off, same rounds)\n\n"
                + "load average at end " + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + report.table();
        System.out.println(table);
        Files.writeString(out.resolve("tracing-cost.md"), table);
    }
}
