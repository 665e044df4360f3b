package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.benchmark.OpenLoop.Phase;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overload (docs/reliability.md#overload): the packaged service with admission control on and off, each in its own
 * process with the benchmark's server flags ({@code -Xmx64m}), on loopback.
 * <ol>
 * <li>What the limiter costs: closed-loop unary calls ({@link LoadGenerator}) in rounds alternating between the
 *     two, calls/s and server CPU per call. The limiter-on server's median is the capacity the rest is scaled by.</li>
 * <li>Open-loop unary load ({@link OpenLoop}) at 0.5×, 1×, 2×, 5× and 10× that capacity, one step each on each
 *     server, the two in an order alternating from step to step: goodput
 *     (calls answered OK per second), latency of the admitted calls, rejections and how fast they are answered.</li>
 * <li>A 10× flood followed at once by 0.5×: how long until the service is back to normal.</li>
 * <li>Floods of streams ({@link StreamFloods}): new Chat streams that stay open, and Chat clients that never read,
 *     each while 0.5× unary load measures what other callers get.</li>
 * </ol>
 * Prints the tables and the goals, writes {@code overload.md} and {@code overload.tsv} (for {@code OverloadChart})
 * into {@code bench.out}. Run alone with {@code ./mvnw -B -ntp -Pbenchmark verify -DskipTests -Dbench.only=overload}.
 */
public final class Overload {

    private static final double[] MULTIPLIERS = {0.5, 1, 2, 5, 10};
    private static final String ON = "limiter on";
    private static final String OFF = "limiter off";
    /** Admission off, and the HTTP/2 stream limit per connection at 100 instead of 1,000: back-pressure alone. */
    private static final String STREAMS = "limiter off, 100 streams/conn";
    private static final Duration WINDOW = Duration.ofMillis(500);

    private Overload() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        String jar = ServiceCommand.jar();
        List<String> jvmArgs = ServiceCommand.jvmArgs();
        LoadGenerator.Shape shape = new LoadGenerator.Shape(Integer.getInteger("bench.channels", 2),
                Integer.getInteger("bench.outstanding", 16), 1, 1, 1);
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 3));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 2));
        int rounds = Integer.getInteger("bench.rounds", 5);
        Duration step = Duration.ofSeconds(Integer.getInteger("bench.overload-step-seconds", 3));
        Duration recovery = Duration.ofSeconds(8);
        Duration deadline = Duration.ofMillis(Integer.getInteger("bench.overload-deadline-ms", 2000));
        int channels = Integer.getInteger("bench.overload-channels", 4);
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();

        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        StringBuilder result = new StringBuilder();
        Map<String, List<Row>> steps = new LinkedHashMap<>();
        Map<String, Double> recoverySeconds = new LinkedHashMap<>();
        try {
            servers.put(ON, start(jvmArgs, jar, List.of("--reliability.admission.enabled=true"),
                    out.resolve("overload-on.log")));
            servers.put(OFF, start(jvmArgs, jar, List.of("--reliability.admission.enabled=false"),
                    out.resolve("overload-off.log")));
            servers.put(STREAMS, start(jvmArgs, jar, List.of("--reliability.admission.enabled=false",
                    "--reliability.max-concurrent-calls-per-connection=100"), out.resolve("overload-streams.log")));

            // 1. The limiter's cost, and the capacity.
            Report cost = new Report(List.copyOf(servers.keySet()));
            Map<String, LoadGenerator> closed = new LinkedHashMap<>();
            for (Map.Entry<String, ServerProcess> server : servers.entrySet()) {
                closed.put(server.getKey(), new LoadGenerator(server.getValue().port(), shape));
                closed.get(server.getKey()).run(Workload.UNARY, warmup);
            }
            List<String> names = new ArrayList<>(servers.keySet());
            for (int r = 0; r < rounds; r++) {
                System.out.printf("cost round %d of %d%n", r + 1, rounds);
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + r) % names.size());
                    double cpuBefore = servers.get(name).cpuMillis();
                    LoadGenerator.Result measured = closed.get(name).run(Workload.UNARY, round);
                    double cpu = servers.get(name).cpuMillis() - cpuBefore;
                    cost.add("unary calls/s (closed loop, " + shape.channels() * shape.outstanding()
                            + " outstanding)", name, measured.perSecond());
                    cost.add("unary call: server CPU each (µs)", name, cpu * 1000 / measured.total());
                    cost.add("unary p99 latency (ms)", name, measured.latencyMillis(0.99));
                }
            }
            for (LoadGenerator load : closed.values()) {
                load.close();
            }
            double capacity = cost.median("unary calls/s (closed loop, " + shape.channels() * shape.outstanding()
                    + " outstanding)", ON).orElseThrow();
            result.append("## What the limiter costs (closed loop, rounds alternating)\n\n").append(cost.table())
                    .append(String.format(Locale.ROOT, "%nCapacity (limiter on, median): %,.0f unary calls/s%n%n",
                            capacity));

            // 2. and 3. Open-loop steps, then a flood and what follows it: each step on both servers, one after the
            // other, in an order that alternates from step to step (a burst of the machine's other load falls on
            // both in turn, not on all steps of one).
            Map<String, OpenLoop> clients = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, ServerProcess> server : servers.entrySet()) {
                    OpenLoop client = new OpenLoop(server.getValue().port(), channels, deadline, 20_000);
                    clients.put(server.getKey(), client);
                    steps.put(server.getKey(), new ArrayList<>());
                    client.send(0.5 * capacity, warmup).awaitEnded(deadline.plusSeconds(10));
                }
                for (int k = 0; k < MULTIPLIERS.length; k++) {
                    double multiplier = MULTIPLIERS[k];
                    for (String name : alternating(names, k)) {
                        System.out.printf("%s: %.1fx offered%n", name, multiplier);
                        Phase phase = clients.get(name).send(multiplier * capacity, step);
                        phase.awaitEnded(deadline.plusSeconds(10));
                        steps.get(name).add(Row.of(multiplier, multiplier * capacity, phase));
                    }
                }
                for (String name : alternating(names, MULTIPLIERS.length)) {
                    System.out.printf("%s: 10x flood, then 0.5x%n", name);
                    OpenLoop client = clients.get(name);
                    Phase flood = client.send(10 * capacity, step);
                    Phase after = client.send(0.5 * capacity, recovery);
                    flood.awaitEnded(deadline.plusSeconds(10));
                    after.awaitEnded(deadline.plusSeconds(10));
                    recoverySeconds.put(name, recoverySeconds(after, steps.get(name).get(0).p99Millis()));
                }
            } finally {
                for (OpenLoop client : clients.values()) {
                    client.close();
                }
            }

            // 4. Streams.
            String streams = StreamFloods.run(servers.get(ON).port(), capacity, deadline, step);
            result.append(tables(steps, recoverySeconds)).append(streams);
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }

        StringBuilder health = new StringBuilder("\n## Memory\n\n");
        boolean noOom = true;
        for (String name : servers.keySet()) {
            Path log = out.resolve(Map.of(ON, "overload-on.log", OFF, "overload-off.log", STREAMS,
                    "overload-streams.log").get(name));
            boolean oom = Files.readString(log).contains("OutOfMemoryError");
            noOom &= !oom;
            health.append("- ").append(name).append(": ").append(oom ? "**OutOfMemoryError** in its log" :
                    "no OutOfMemoryError").append(" (").append(String.join(" ", jvmArgs)).append(")\n");
        }
        String report = "# grpc-patterns: overload, " + Instant.now() + "\n\n"
                + Runtime.getRuntime().availableProcessors() + " cores, load average at start " + loadAtStart
                + ", at end " + Files.readString(Path.of("/proc/loadavg")).trim() + "; open-loop steps of "
                + step.toSeconds() + " s, deadline " + deadline.toMillis() + " ms, " + channels + " connections\n\n"
                + result + health + "\n## Goals (limiter on)\n\n" + goals(steps.get(ON), recoverySeconds.get(ON), noOom);
        System.out.println(report);
        Files.writeString(out.resolve("overload.md"), report);
        StringBuilder tsv = new StringBuilder();
        steps.forEach((name, rows) -> rows.forEach(row -> tsv.append(String.format(Locale.ROOT, "%s\t%s\t%f\t%f%n",
                name, row.multiplier(), row.goodput(), row.p99Millis()))));
        Files.writeString(out.resolve("overload.tsv"), tsv);
        System.out.println("written to " + out.resolve("overload.md"));
    }

    /** The names in their order for even steps, reversed for odd ones. */
    private static List<String> alternating(List<String> names, int step) {
        List<String> order = new ArrayList<>(names);
        if (step % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private static ServerProcess start(List<String> jvmArgs, String jar, List<String> args, Path log)
            throws Exception {
        int port = AppProcess.freePort();
        List<String> command = ServiceCommand.of(jvmArgs, List.of("-jar", jar), port, args);
        return ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), port, log);
    }

    /**
     * Seconds from the flood's end until normal for good: the start of the first window of the calm phase after
     * which every window has only OK calls with a p99 within 3× the p99 at 0.5×. Infinite if never.
     */
    static double recoverySeconds(Phase calm, double calmP99Millis) {
        long window = WINDOW.toNanos();
        long end = (long) (calm.plannedSeconds * 1e9);
        double recovered = Double.POSITIVE_INFINITY;
        for (long from = end - window; from >= 0; from -= window) {
            long to = from + window;
            double[] ok = calm.latenciesMillis(Status.Code.OK, from, to);
            long all = 0;
            for (Status.Code code : Status.Code.values()) {
                all += calm.count(code, from, to);
            }
            boolean normal = ok.length > 0 && ok.length == all
                    && Phase.quantile(ok, 0.99) <= 3 * calmP99Millis;
            if (!normal) {
                break;
            }
            recovered = from / 1e9;
        }
        return recovered;
    }

    private static String tables(Map<String, List<Row>> steps, Map<String, Double> recovery) {
        StringBuilder table = new StringBuilder("## Open-loop unary load\n\n| server | offered (× capacity) | offered "
                + "calls/s | sent calls/s | goodput (OK/s) | goodput vs 1× | p50 admitted (ms) | p99 admitted (ms) "
                + "| p99 vs 0.5× | rejected | rejection p50 (ms) | deadline exceeded | other | not sent |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        steps.forEach((name, rows) -> {
            Row atOne = rows.get(1);
            Row atHalf = rows.get(0);
            for (Row row : rows) {
                table.append(String.format(Locale.ROOT,
                        "| %s | %.1f× | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d | %s | %,d | %,d | %,d |%n",
                        name, row.multiplier(), row.offered(), row.sent(), row.goodput(),
                        row.goodput() / atOne.goodput(), row.p50Millis(), row.p99Millis(),
                        row.p99Millis() / atHalf.p99Millis(), row.rejected(),
                        Double.isNaN(row.rejectionP50Millis()) ? "–"
                                : String.format(Locale.ROOT, "%.3f", row.rejectionP50Millis()),
                        row.deadlineExceeded(), row.other(), row.notSent()));
            }
        });
        table.append("\nBack to normal after a 10× flood (0.5× right after it; every later 500 ms window only OK, "
                + "p99 within 3× of 0.5×):");
        recovery.forEach((name, seconds) -> table.append(String.format(Locale.ROOT, " %s %s;", name,
                seconds.isInfinite() ? "not within 8 s" : String.format(Locale.ROOT, "%.1f s", seconds))));
        return table.append("\n").toString();
    }

    private static String goals(List<Row> rows, double recovery, boolean noOom) {
        Row atHalf = rows.get(0);
        Row atOne = rows.get(1);
        StringBuilder goals = new StringBuilder("| goal | measured | met |\n|---|---|---|\n");
        for (Row row : rows.subList(2, rows.size())) {
            double ratio = row.goodput() / atOne.goodput();
            goals.append(line(String.format(Locale.ROOT, "goodput at %.0f× ≥ 90%% of 1×", row.multiplier()),
                    String.format(Locale.ROOT, "%.0f%%", 100 * ratio), ratio >= 0.9));
        }
        for (Row row : rows.subList(1, rows.size())) {
            double ratio = row.p99Millis() / atHalf.p99Millis();
            goals.append(line(String.format(Locale.ROOT, "p99 of admitted calls at %.0f× ≤ 3× p99 at 0.5×",
                    row.multiplier()), String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 3));
        }
        for (Row row : rows) {
            if (row.rejected() > 0) {
                goals.append(line(String.format(Locale.ROOT, "rejections at %.1f× answered in < 1 ms (median)",
                        row.multiplier()), String.format(Locale.ROOT, "%.3f ms", row.rejectionP50Millis()),
                        row.rejectionP50Millis() < 1));
            }
        }
        goals.append(line("no OutOfMemoryError at -Xmx64m", noOom ? "none" : "seen", noOom));
        goals.append(line("back to normal within 5 s after a 10× flood", Double.isInfinite(recovery) ? "not within 8 s"
                : String.format(Locale.ROOT, "%.1f s", recovery), recovery <= 5));
        return goals.toString();
    }

    private static String line(String goal, String measured, boolean met) {
        return "| " + goal + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    /** One open-loop step, summarised. */
    record Row(double multiplier, double offered, double sent, double goodput, double p50Millis, double p99Millis,
            long rejected, double rejectionP50Millis, long deadlineExceeded, long other, long notSent) {

        static Row of(double multiplier, double offered, Phase phase) {
            double[] ok = phase.latenciesMillis(Status.Code.OK);
            double[] rejections = phase.latenciesMillis(Status.Code.RESOURCE_EXHAUSTED);
            long rejected = phase.count(Status.Code.RESOURCE_EXHAUSTED);
            long deadline = phase.count(Status.Code.DEADLINE_EXCEEDED);
            long notSent = phase.notSent();
            long other = phase.size() - notSent - ok.length - rejected - deadline;
            return new Row(multiplier, offered, (phase.size() - notSent) / phase.sendingSeconds,
                    ok.length / phase.plannedSeconds, Phase.quantile(ok, 0.5), Phase.quantile(ok, 0.99), rejected,
                    Phase.quantile(rejections, 0.5), deadline, other, notSent);
        }
    }
}
