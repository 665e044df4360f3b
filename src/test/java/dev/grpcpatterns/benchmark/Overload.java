package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.benchmark.OpenLoop.Phase;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Overload (docs/reliability.md#overload): the packaged service in several configurations ({@link #variants}:
 * admission control on with a fixed or an adaptive limit, off, and HTTP/2 stream limits per connection), each in its
 * own process with the benchmark's server flags ({@code -Xmx64m}), pinned to CPUs of its own ({@link Pinning}), on
 * loopback.
 * <ol>
 * <li>What the limiter costs: closed-loop unary calls ({@link LoadGenerator}) in rounds alternating between the
 *     servers, calls/s and server CPU per call. One server's median ({@code bench.overload-capacity}) is the
 *     capacity the rest is scaled by.</li>
 * <li>Open-loop unary load ({@link OpenLoop}) at 0.5×, 1×, 2×, 5× and 10× that capacity, one step each on each
 *     row (a server, loaded by a plain client or by a well-behaved one), in an order alternating from step to step:
 *     goodput (calls answered OK per second), latency of the admitted calls from when they were due, rejections and
 *     how fast they are answered, calls held back or not sent.</li>
 * <li>A 10× flood followed at once by 0.5×: how long until the service is back to normal.</li>
 * <li>Floods of streams ({@link StreamFloods}): new Chat streams that stay open, and Chat clients that never read,
 *     each while 0.5× unary load measures what other callers get.</li>
 * </ol>
 * Prints the tables and the goals, writes {@code overload.md} and {@code overload.tsv} (for {@code OverloadChart})
 * into {@code bench.out}. Run alone with {@code ./mvnw -B -ntp -Pbenchmark verify -DskipTests -Dbench.only=overload}.
 */
public final class Overload {

    private static final double[] MULTIPLIERS = {0.5, 1, 2, 5, 10};
    private static final Duration WINDOW = Duration.ofMillis(500);
    private static final String ADMISSION_ON = "--reliability.admission.enabled=true";
    private static final String ADMISSION_OFF = "--reliability.admission.enabled=false";

    private Overload() {
    }

    /** A server configuration measured: its name in the tables and the service's arguments. */
    record Variant(String name, List<String> args) {
    }

    /** What one row of the tables measures: a server, loaded by a plain or a well-behaved client. */
    record Target(String name, String server, boolean wellBehaved) {
    }

    /**
     * The server configurations by key ({@code bench.overload-servers} picks and orders them). Each spells out the
     * settings it compares, so that a change of the service's defaults does not change what a row means.
     */
    static Map<String, Variant> variants(int fixedLimit) {
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("adaptive", new Variant("on, Gradient2 20-500", List.of(ADMISSION_ON,
                "--reliability.admission.limit=gradient2", "--reliability.admission.min-limit=20",
                "--reliability.admission.initial-limit=100", "--reliability.admission.max-limit=500",
                "--reliability.max-concurrent-calls-per-connection=1000")));
        variants.put("fixed", new Variant("on, fixed " + fixedLimit, List.of(ADMISSION_ON,
                "--reliability.admission.limit=fixed", "--reliability.admission.max-limit=" + fixedLimit,
                "--reliability.max-concurrent-calls-per-connection=1000")));
        variants.put("fixed-128", new Variant("on, fixed " + fixedLimit + ", 128 streams/conn", List.of(ADMISSION_ON,
                "--reliability.admission.limit=fixed", "--reliability.admission.max-limit=" + fixedLimit,
                "--reliability.max-concurrent-calls-per-connection=128")));
        variants.put("off", new Variant("off, 1000 streams/conn", List.of(ADMISSION_OFF,
                "--reliability.max-concurrent-calls-per-connection=1000")));
        variants.put("off-128", new Variant("off, 128 streams/conn", List.of(ADMISSION_OFF,
                "--reliability.max-concurrent-calls-per-connection=128")));
        variants.put("off-100", new Variant("off, 100 streams/conn", List.of(ADMISSION_OFF,
                "--reliability.max-concurrent-calls-per-connection=100")));
        variants.put("default", new Variant("the defaults", List.of()));
        return variants;
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
        Duration maxLag = Duration.ofMillis(Integer.getInteger("bench.overload-max-lag-ms", 5));
        int channels = Integer.getInteger("bench.overload-channels", 4);
        double throttleK = Double.parseDouble(System.getProperty("bench.overload-throttle-k", "2"));
        Map<String, Variant> variants = variants(Integer.getInteger("bench.overload-fixed-limit", 200));
        List<String> serverKeys = List.of(System.getProperty("bench.overload-servers",
                "fixed,fixed-128,adaptive,off,off-128").split(","));
        List<String> wellBehavedKeys = List.of(System.getProperty("bench.overload-well-behaved", "fixed-128")
                .split(","));
        String capacityKey = System.getProperty("bench.overload-capacity", "off");
        int cores = Runtime.getRuntime().availableProcessors();
        Pinning pinning = Pinning.of(System.getProperty("bench.overload-server-cpus", "0"),
                System.getProperty("bench.overload-client-cpus", "1"));
        pinning.pin(ProcessHandle.current().pid(), pinning.clientCpus());
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();

        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        StringBuilder result = new StringBuilder();
        Map<String, List<Row>> steps = new LinkedHashMap<>();
        Map<String, Double> recoverySeconds = new LinkedHashMap<>();
        try {
            for (String key : serverKeys) {
                Variant variant = Objects.requireNonNull(variants.get(key), () -> "no server variant " + key
                        + " (bench.overload-servers; known: " + variants.keySet() + ")");
                logs.put(key, out.resolve("overload-" + key + ".log"));
                servers.put(key, start(jvmArgs, jar, variant.args(), logs.get(key)));
                pinning.pin(servers.get(key).pid(), pinning.serverCpus());
                targets.add(new Target(variant.name(), key, false));
            }
            for (String key : wellBehavedKeys) {
                if (servers.containsKey(key)) {
                    targets.add(new Target(variants.get(key).name() + ", well-behaved client", key, true));
                }
            }

            // 1. The limiter's cost, and the capacity.
            Report cost = new Report(serverKeys.stream().map(key -> variants.get(key).name()).toList());
            Map<String, LoadGenerator> closed = new LinkedHashMap<>();
            for (Map.Entry<String, ServerProcess> server : servers.entrySet()) {
                closed.put(server.getKey(), new LoadGenerator(server.getValue().port(), shape));
                closed.get(server.getKey()).run(Workload.UNARY, warmup);
            }
            String callsPerSecond = "unary calls/s (closed loop, " + shape.channels() * shape.outstanding()
                    + " outstanding)";
            for (int r = 0; r < rounds; r++) {
                System.out.printf("cost round %d of %d%n", r + 1, rounds);
                for (int i = 0; i < serverKeys.size(); i++) {
                    String key = serverKeys.get((i + r) % serverKeys.size());
                    String name = variants.get(key).name();
                    double cpuBefore = servers.get(key).cpuMillis();
                    LoadGenerator.Result measured = closed.get(key).run(Workload.UNARY, round);
                    double cpu = servers.get(key).cpuMillis() - cpuBefore;
                    cost.add(callsPerSecond, name, measured.perSecond());
                    cost.add("unary call: server CPU each (µs)", name, cpu * 1000 / measured.total());
                    cost.add("unary p99 latency (ms)", name, measured.latencyMillis(0.99));
                }
            }
            for (LoadGenerator load : closed.values()) {
                load.close();
            }
            String capacityFrom = variants.get(servers.containsKey(capacityKey) ? capacityKey : serverKeys.get(0))
                    .name();
            double capacity = cost.median(callsPerSecond, capacityFrom).orElseThrow();
            result.append("## What the limiter costs (closed loop, rounds alternating)\n\n").append(cost.table())
                    .append(String.format(Locale.ROOT, "%nCapacity (%s, median): %,.0f unary calls/s%n%n",
                            capacityFrom, capacity));

            // 2. and 3. Open-loop steps, then a flood and what follows it: each step on every target, one after the
            // other, in an order that alternates from step to step (a burst of the machine's other load falls on
            // each in turn, not on all steps of one).
            Map<String, OpenLoop> clients = new LinkedHashMap<>();
            List<String> names = targets.stream().map(Target::name).toList();
            try {
                for (Target target : targets) {
                    int port = servers.get(target.server()).port();
                    OpenLoop client = target.wellBehaved()
                            ? OpenLoop.wellBehaved(port, channels, deadline, 20_000, maxLag, throttleK)
                            : new OpenLoop(port, channels, deadline, 20_000, maxLag);
                    clients.put(target.name(), client);
                    steps.put(target.name(), new ArrayList<>());
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

            // 4. Streams, against the first server with admission on (else the first).
            String floodsOn = serverKeys.stream().filter(key -> variants.get(key).args().contains(ADMISSION_ON))
                    .findFirst().orElse(serverKeys.get(0));
            String streams = StreamFloods.run(servers.get(floodsOn).port(), capacity, deadline, step, maxLag,
                    variants.get(floodsOn).name());
            result.append(tables(steps, recoverySeconds)).append(streams);
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }

        StringBuilder health = new StringBuilder("\n## Memory\n\n");
        Map<String, Boolean> noOom = new LinkedHashMap<>();
        for (String key : serverKeys) {
            boolean oom = Files.readString(logs.get(key)).contains("OutOfMemoryError");
            noOom.put(key, !oom);
            health.append("- ").append(variants.get(key).name()).append(": ").append(oom
                    ? "**OutOfMemoryError** in its log" : "no OutOfMemoryError").append(" (")
                    .append(String.join(" ", jvmArgs)).append(")\n");
        }
        String report = "# grpc-patterns: overload, " + Instant.now() + "\n\n"
                + cores + " cores, load average at start " + loadAtStart
                + ", at end " + Files.readString(Path.of("/proc/loadavg")).trim() + "; open-loop steps of "
                + step.toSeconds() + " s, deadline " + deadline.toMillis() + " ms, " + channels + " connections, "
                + "latency from when a call was due, a call more than " + maxLag.toMillis() + " ms behind "
                + "its schedule not sent; " + pinning + "\n\n"
                + result + health + "\n## Goals\n\n" + goals(targets, steps, recoverySeconds, noOom);
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
     * which every call due in each window was answered OK (none held back or rejected), with a p99 within 3× the
     * p99 at 0.5×; calls the load generator itself fell behind on are left out, as at 0.5×. Infinite if never.
     */
    static double recoverySeconds(Phase calm, double calmP99Millis) {
        long window = WINDOW.toNanos();
        long end = (long) (calm.plannedSeconds * 1e9);
        double recovered = Double.POSITIVE_INFINITY;
        for (long from = end - window; from >= 0; from -= window) {
            long to = from + window;
            double[] ok = calm.latenciesMillis(Status.Code.OK, from, to);
            long due = 0;
            for (int i = 0; i < calm.size(); i++) {
                if (calm.sentNanos[i] >= from && calm.sentNanos[i] < to && calm.unsent[i] != Phase.BEHIND) {
                    due++;
                }
            }
            boolean normal = ok.length > 0 && ok.length == due && Phase.quantile(ok, 0.99) <= 3 * calmP99Millis;
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
                + "| p99 vs 0.5× | rejected | rejection p50 (ms) | deadline exceeded | other | held back | not sent "
                + "(client behind) | not sent (20,000 outstanding) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        steps.forEach((name, rows) -> {
            Row atOne = rows.get(1);
            Row atHalf = rows.get(0);
            for (Row row : rows) {
                table.append(String.format(Locale.ROOT,
                        "| %s | %.1f× | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d | %s | %,d | %,d | %,d "
                                + "| %,d | %,d |%n",
                        name, row.multiplier(), row.offered(), row.sent(), row.goodput(),
                        row.goodput() / atOne.goodput(), row.p50Millis(), row.p99Millis(),
                        row.p99Millis() / atHalf.p99Millis(), row.rejected(),
                        Double.isNaN(row.rejectionP50Millis()) ? "–"
                                : String.format(Locale.ROOT, "%.3f", row.rejectionP50Millis()),
                        row.deadlineExceeded(), row.other(), row.heldBack(), row.behind(), row.outstanding()));
            }
        });
        table.append("\nBack to normal after a 10× flood (0.5× right after it; every later 500 ms window only OK, "
                + "p99 within 3× of 0.5×):");
        recovery.forEach((name, seconds) -> table.append(String.format(Locale.ROOT, " %s %s;", name,
                seconds.isInfinite() ? "not within 8 s" : String.format(Locale.ROOT, "%.1f s", seconds))));
        return table.append("\n").toString();
    }

    /** The goals, one column per target: what it measured, and whether it met the goal. */
    private static String goals(List<Target> targets, Map<String, List<Row>> steps, Map<String, Double> recovery,
            Map<String, Boolean> noOom) {
        StringBuilder goals = new StringBuilder("| goal |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Target target : targets) {
            goals.append(' ').append(target.name()).append(" |");
            rule.append("---|");
        }
        goals.append('\n').append(rule).append('\n');
        Map<String, List<String>> cells = new LinkedHashMap<>();
        for (Target target : targets) {
            List<Row> rows = steps.get(target.name());
            Row atHalf = rows.get(0);
            Row atOne = rows.get(1);
            for (Row row : rows.subList(2, rows.size())) {
                double ratio = row.goodput() / atOne.goodput();
                cell(cells, String.format(Locale.ROOT, "goodput at %.0f× ≥ 90%% of 1×", row.multiplier()),
                        String.format(Locale.ROOT, "%.0f%%", 100 * ratio), ratio >= 0.9);
            }
            for (Row row : rows.subList(1, rows.size())) {
                double ratio = row.p99Millis() / atHalf.p99Millis();
                cell(cells, String.format(Locale.ROOT, "p99 of admitted calls at %.0f× ≤ 3× p99 at 0.5×",
                        row.multiplier()), String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 3);
            }
            double[] rejectionP50 = rows.stream().filter(row -> row.rejected() > 0)
                    .mapToDouble(Row::rejectionP50Millis).toArray();
            double worst = Arrays.stream(rejectionP50).max().orElse(Double.NaN);
            cell(cells, "rejections answered in < 1 ms (median, worst step)", rejectionP50.length == 0 ? "none"
                    : String.format(Locale.ROOT, "%.3f ms", worst), rejectionP50.length == 0 || worst < 1);
            boolean oomFree = noOom.get(target.server());
            cell(cells, "no OutOfMemoryError at -Xmx64m", oomFree ? "none" : "seen", oomFree);
            double seconds = recovery.get(target.name());
            cell(cells, "back to normal within 5 s after a 10× flood", Double.isInfinite(seconds)
                    ? "not within 8 s" : String.format(Locale.ROOT, "%.1f s", seconds), seconds <= 5);
        }
        cells.forEach((goal, measured) -> goals.append("| ").append(goal).append(" | ")
                .append(String.join(" | ", measured)).append(" |\n"));
        return goals.toString();
    }

    private static void cell(Map<String, List<String>> cells, String goal, String measured, boolean met) {
        cells.computeIfAbsent(goal, g -> new ArrayList<>()).add(met ? measured + " ✓" : "**" + measured + " ✗**");
    }

    /** One open-loop step, summarised. */
    record Row(double multiplier, double offered, double sent, double goodput, double p50Millis, double p99Millis,
            long rejected, double rejectionP50Millis, long deadlineExceeded, long other, long heldBack, long behind,
            long outstanding) {

        static Row of(double multiplier, double offered, Phase phase) {
            double[] ok = phase.latenciesMillis(Status.Code.OK);
            double[] rejections = phase.latenciesMillis(Status.Code.RESOURCE_EXHAUSTED);
            long rejected = phase.count(Status.Code.RESOURCE_EXHAUSTED);
            long deadline = phase.count(Status.Code.DEADLINE_EXCEEDED);
            long other = phase.sent - ok.length - rejected - deadline;
            return new Row(multiplier, offered, phase.sent / phase.sendingSeconds, ok.length / phase.plannedSeconds,
                    Phase.quantile(ok, 0.5), Phase.quantile(ok, 0.99), rejected, Phase.quantile(rejections, 0.5),
                    deadline, other, phase.unsent(Phase.HELD_BACK), phase.unsent(Phase.BEHIND),
                    phase.unsent(Phase.OUTSTANDING));
        }
    }

    /**
     * Which CPUs the servers and this process (the load generator) run on ({@code taskset}), so that the offered
     * load does not take the servers' CPU (both sets empty: no pinning, or a machine with one core). A server is
     * pinned once it listens (every thread it has then; the threads it starts later inherit it), so that its
     * start-up may use every core.
     */
    record Pinning(String serverCpus, String clientCpus) {

        static Pinning of(String serverCpus, String clientCpus) {
            boolean possible = Runtime.getRuntime().availableProcessors() > 1 && !serverCpus.isBlank()
                    && !clientCpus.isBlank();
            return possible ? new Pinning(serverCpus, clientCpus) : new Pinning("", "");
        }

        boolean on() {
            return !serverCpus.isEmpty();
        }

        /** Every thread of process {@code pid} onto {@code cpus} (nothing if not pinning). */
        void pin(long pid, String cpus) throws IOException, InterruptedException {
            if (on()) {
                Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (taskset.waitFor() != 0) {
                    throw new IllegalStateException("taskset could not pin process " + pid + " to CPUs " + cpus);
                }
            }
        }

        @Override
        public String toString() {
            return on() ? "servers on CPU " + serverCpus + ", the load generator on CPU " + clientCpus
                    + " (taskset)" : "no CPU pinning";
        }
    }
}
