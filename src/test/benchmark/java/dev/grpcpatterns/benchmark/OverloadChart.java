package dev.grpcpatterns.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the overload chart (PNG, JFreeChart) from {@code overload.tsv} in {@code bench.out}: goodput and p99 of
 * the admitted calls against the offered load, one line per row of the overload table. Run after {@code Overload} by the pom's
 * benchmark profile.
 */
public final class OverloadChart {

    private static final Color[] PALETTE = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private OverloadChart() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(System.getProperty("bench.out"));
        Map<String, XYSeries> goodput = new LinkedHashMap<>();
        Map<String, XYSeries> p99 = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("overload.tsv"))) {
            String[] fields = line.split("\t");
            double offered = Double.parseDouble(fields[1]);
            goodput.computeIfAbsent(fields[0], XYSeries::new).add(offered, Double.parseDouble(fields[2]));
            double millis = Double.parseDouble(fields[3]);
            if (millis > 0 && Double.isFinite(millis)) {
                p99.computeIfAbsent(fields[0], XYSeries::new).add(offered, millis);
            }
        }
        LogAxis offered = logAxis("offered load (× measured capacity; log scale)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(offered);
        plot.setGap(12);
        plot.add(plot(goodput, new NumberAxis("goodput (calls answered OK per second)")), 1);
        plot.add(plot(p99, logAxis("p99 of admitted calls (ms; log scale)")), 1);
        JFreeChart chart = new JFreeChart("Open-loop unary load: goodput and p99 against offered load",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path file = out.resolve("overload.png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 800);
        System.out.println("chart written to " + file);
    }

    private static XYPlot plot(Map<String, XYSeries> series, ValueAxis range) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return axis;
    }
}
