package dev.grpcpatterns.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The benchmark's samples per row and server, summarised as medians, one column per server in the order they
 * were named. The original two columns are the servers {@code service} and {@code baseline}.
 */
final class Report {

    static final String SERVICE = "service";
    static final String BASELINE = "baseline";

    private final List<String> servers;
    private final Map<String, Map<String, List<Double>>> rows = new LinkedHashMap<>();

    Report(List<String> servers) {
        this.servers = List.copyOf(servers);
    }

    Report() {
        this(List.of(SERVICE, BASELINE));
    }

    void add(String label, boolean service, double value) {
        add(label, service ? SERVICE : BASELINE, value);
    }

    void add(String label, String server, double value) {
        rows.computeIfAbsent(label, l -> new LinkedHashMap<>())
                .computeIfAbsent(server, s -> new ArrayList<>()).add(value);
    }

    /** The median of a row's samples for one server, if it has any. */
    OptionalDouble median(String label, String server) {
        List<Double> values = rows.getOrDefault(label, Map.of()).get(server);
        if (values == null || values.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return OptionalDouble.of(sorted.size() % 2 == 1 ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2);
    }

    List<String> servers() {
        return servers;
    }

    List<String> labels() {
        return List.copyOf(rows.keySet());
    }

    /**
     * A Markdown table: one row per measure, each server's median and, as a sign of noise, how far its
     * samples spread around it (half the range, in % of the median); n is the most samples a server has.
     */
    String table() {
        StringBuilder table = new StringBuilder("| measure |");
        servers.forEach(server -> table.append(' ').append(server).append(" |"));
        table.append(" n |\n|---|");
        servers.forEach(server -> table.append("---:|"));
        table.append("---:|\n");
        rows.forEach((label, samples) -> {
            table.append("| ").append(label).append(" |");
            for (String server : servers) {
                List<Double> values = samples.get(server);
                table.append(' ').append(values == null ? "–" : cell(values, median(label, server).orElseThrow()))
                        .append(" |");
            }
            int n = samples.values().stream().mapToInt(List::size).max().orElse(0);
            table.append(' ').append(n).append(" |\n");
        });
        return table.toString();
    }

    /** Every sample as tab-separated lines (measure, server, value), for the charts. */
    String samples() {
        StringBuilder lines = new StringBuilder();
        rows.forEach((label, samples) -> samples.forEach((server, values) -> values.forEach(value ->
                lines.append(label).append('\t').append(server).append('\t').append(value).append('\n'))));
        return lines.toString();
    }

    private static String cell(List<Double> values, double median) {
        if (values.size() == 1) {
            return number(median);
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%s ±%.0f%%", number(median), median == 0 ? 0 : 50 * (max - min) / median);
    }

    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
