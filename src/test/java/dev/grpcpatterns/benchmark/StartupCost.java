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
import java.util.function.Function;

/**
 * Start-up and memory alone, as issue 26 measures them: the service with the image's launch ({@link TrainedLaunch}:
 * extracted jar, AOT cache trained on prod, prod) and the bare baseline, started in turn many times, the order
 * rotating; each start is timed to its first answered call, then loaded briefly (unary and Chat from the grpc-java
 * client, so that the memory is the memory of a server that has served), then its RSS read and the server stopped.
 * {@code -Dbench.before-jar=<an earlier jar>} adds that jar's launch as a column, in the same rounds, to measure a
 * change; {@code -Dbench.variant-jvm-args="<flags>"} adds this jar's launch with those JVM flags added (its AOT cache
 * the service's), to measure a flag: its medians beside the service's, no goal. Prints the table and the goals and
 * writes {@code <bench.out>/startup-cost.md}.
 *
 * <p>Settings: {@code bench.starts} (7), {@code bench.load-seconds} (2, per workload), {@code bench.baseline}
 * (the {@link BaselineServer} variant, {@code bare}: issue 26's yardstick), {@code bench.server-jvm-args}, {@code bench.jar}.
 * {@code java -cp <test classpath> dev.grpcpatterns.benchmark.StartupCost} (docs/performance.md).
 */
public final class StartupCost {

    private static final String BEFORE = "before";
    private static final String VARIANT = "variant";
    private static final String STARTUP = "start-up to first call, extracted jar + AOT cache (ms)";
    private static final String STARTUP_CPU = "start-up CPU time, extracted jar + AOT cache (ms)";
    private static final String RSS = "RSS after load (MiB)";

    private StartupCost() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        List<String> jvmArgs = ServiceCommand.jvmArgs();
        int starts = Integer.getInteger("bench.starts", 7);
        Duration load = Duration.ofSeconds(Integer.getInteger("bench.load-seconds", 2));
        LoadGenerator.Shape shape = new LoadGenerator.Shape(2, 16, 100, 1000, 8);

        Map<String, Function<Integer, List<String>>> commands = new LinkedHashMap<>();
        TrainedLaunch service = train(jvmArgs, Path.of(ServiceCommand.jar()), out.resolve("startup"));
        commands.put(Report.SERVICE, launch(jvmArgs, service));
        String variant = System.getProperty("bench.variant-jvm-args");
        if (variant != null) {
            List<String> variantArgs = new ArrayList<>(jvmArgs);
            variantArgs.addAll(List.of(variant.trim().split("\\s+")));
            commands.put(VARIANT, launch(variantArgs, service));
        }
        String before = System.getProperty("bench.before-jar");
        if (before != null) {
            commands.put(BEFORE, launch(jvmArgs, train(jvmArgs, Path.of(before), out.resolve("startup-before"))));
        }
        commands.put(Report.BASELINE,
                Benchmark.baselineCommand(jvmArgs, System.getProperty("bench.baseline", "bare")));
        List<String> names = new ArrayList<>(commands.keySet());
        Report report = new Report(names);
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        for (int i = 0; i < starts; i++) {
            System.out.printf("start %d of %d%n", i + 1, starts);
            for (int n = 0; n < names.size(); n++) {
                String name = names.get((n + i) % names.size());
                int port = AppProcess.freePort();
                try (ServerProcess server = ServerProcess.start(commands.get(name).apply(port), Map.of("MALLOC_ARENA_MAX", "2"), port,
                        out.resolve("startup-" + name + ".log"));
                        LoadGenerator client = new LoadGenerator(port, shape)) {
                    report.add(STARTUP, name, server.startupMillis());
                    report.add(STARTUP_CPU, name, server.startupCpuMillis());
                    client.run(Workload.UNARY, load);
                    client.run(Workload.CHAT, load);
                    report.add(RSS, name, server.rssMib());
                }
            }
        }
        Goals goals = new Goals().atMost(STARTUP, Report.BASELINE, 2.5).atMost(RSS, Report.BASELINE, 1.4);
        if (before != null) {
            goals.atMost(STARTUP, BEFORE, 1.0).atMost(RSS, BEFORE, 1.0);
        }
        String table = "# start-up cost (service: the image's launch, prod; " + Report.BASELINE + ": BaselineServer "
                + System.getProperty("bench.baseline", "bare") + ")\n\nload average at start " + loadAtStart
                + ", at end " + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + report.table()
                + "\n" + goals.table(report);
        System.out.println(table);
        Files.writeString(out.resolve("startup-cost.md"), table);
    }

    /** The jar's image launch, trained with {@code jvmArgs}. */
    private static TrainedLaunch train(List<String> jvmArgs, Path jar, Path directory) throws Exception {
        return TrainedLaunch.prepare(ServiceCommand.java(), jar.toAbsolutePath(), directory, jvmArgs);
    }

    /** A start of {@code trained} with {@code jvmArgs} (they may add flags to the training's). */
    private static Function<Integer, List<String>> launch(List<String> jvmArgs, TrainedLaunch trained) {
        return port -> ServiceCommand.of(jvmArgs, trained.javaArgs(), port, TrainedLaunch.PROFILE);
    }
}
