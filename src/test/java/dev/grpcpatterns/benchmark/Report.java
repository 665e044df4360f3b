package dev.grpcpatterns.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's samples per row and server, summarised as medians and the ratio service/baseline. */
final class Report {

    private record Row(String label, List<Double> service, List<Double> baseline) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    void add(String label, boolean service, double value) {
        Row row = rows.computeIfAbsent(label, l -> new Row(l, new ArrayList<>(), new ArrayList<>()));
        (service ? row.service() : row.baseline()).add(value);
    }

    /** A Markdown table: one row per measure, medians, ratio, and each side's range as a sign of noise. */
    String table() {
        StringBuilder table = new StringBuilder()
                .append("| measure | service | baseline | service/baseline | service min–max | baseline min–max | n |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows.values()) {
            double service = median(row.service());
            double baseline = median(row.baseline());
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s–%s | %s–%s | %d |%n",
                    row.label(), number(service), number(baseline), service / baseline,
                    number(min(row.service())), number(max(row.service())),
                    number(min(row.baseline())), number(max(row.baseline())), row.service().size()));
        }
        return table.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
