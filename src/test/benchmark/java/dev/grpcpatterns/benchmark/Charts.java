package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the benchmark's charts (PNG, JFreeChart) from the samples a run wrote into {@code bench.out}:
 * throughput per RPC kind for every server, the unary latency distribution, server CPU per call or message.
 * A program of its own, run after the benchmark by the pom's benchmark profile, so that the charting library
 * stays out of every other build.
 */
public final class Charts {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 640;
    private static final List<String> CLIENTS = List.of("grpc-java client", "h2load");
    // One colour per server, in the table's order, distinct enough to tell apart in print.
    private static final Color[] PALETTE = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};

    private Charts() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(System.getProperty("bench.out"));
        List<String[]> lines = Files.readAllLines(out.resolve("samples.tsv")).stream()
                .map(line -> line.split("\t")).toList();
        List<String> servers = lines.stream().map(fields -> fields[1]).distinct().toList();
        Report samples = new Report(servers);
        lines.forEach(fields -> samples.add(fields[0], fields[1], Double.parseDouble(fields[2])));

        write(bars("Throughput per RPC kind (median of the rounds; log scale)", "calls or messages per second",
                samples, servers, Benchmark::throughputLabel), out.resolve("throughput.png"));
        write(bars("Server CPU per call or message (median of the rounds; log scale)", "µs of server CPU",
                samples, servers, Benchmark::cpuLabel), out.resolve("cpu-per-message.png"));
        write(latencies(out.resolve("unary-latencies.tsv"), servers), out.resolve("unary-latency.png"));
        System.out.println("charts written to " + out);
    }

    private static JFreeChart bars(String title, String unit, Report samples, List<String> servers,
            BiFunction<Workload, String, String> label) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String client : CLIENTS) {
            for (Workload workload : Workload.values()) {
                String category = workload.unit + " (" + client + ")";
                for (String server : servers) {
                    samples.median(label.apply(workload, client), server)
                            .ifPresent(median -> add(data, median, server, category));
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, unit, data);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeAxis(logAxis(unit));
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        // The bars start at the bottom of the plot: a log scale has no zero to include.
        renderer.setIncludeBaseInRange(false);
        renderer.setItemMargin(0.02);
        style(plot);
        return chart;
    }

    private static JFreeChart latencies(Path file, List<String> servers) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Map<String, Map<String, Double>> byServer = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split("\t");
            byServer.computeIfAbsent(fields[0], server -> new LinkedHashMap<>())
                    .put("p" + fields[1].replaceAll("\\.0$", ""), Double.parseDouble(fields[2]));
        }
        for (String server : servers) {
            byServer.getOrDefault(server, Map.of()).forEach((percentile, millis) ->
                    add(data, millis, server, percentile));
        }
        JFreeChart chart = ChartFactory.createLineChart(
                "Unary latency distribution (grpc-java client, all rounds; log scale)", "percentile", "ms", data);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeAxis(logAxis("ms"));
        for (int series = 0; series < data.getRowCount(); series++) {
            plot.getRenderer().setSeriesStroke(series, new BasicStroke(2.5f));
        }
        style(plot);
        return chart;
    }

    /** A log scale can show no zero: a server that completed nothing in a round has no bar or point. */
    private static void add(DefaultCategoryDataset data, double value, String server, String category) {
        if (value > 0 && Double.isFinite(value)) {
            data.addValue(value, server, category);
        }
    }

    /** Decades, labelled with plain numbers. */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return axis;
    }

    private static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int series = 0; series < PALETTE.length; series++) {
            plot.getRenderer().setSeriesPaint(series, PALETTE[series]);
        }
    }

    private static void write(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
