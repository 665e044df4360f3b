package dev.grpcpatterns.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The performance goals, each a ratio of the service's median to another server's, measured in the same run. */
final class Goals {

    private record Goal(String measure, String against, boolean atMost, double target) {
    }

    private final List<Goal> goals = new ArrayList<>();

    /** The service's {@code measure} must be at least {@code target} times {@code against}'s. */
    Goals atLeast(String measure, String against, double target) {
        goals.add(new Goal(measure, against, false, target));
        return this;
    }

    /** The service's {@code measure} must be at most {@code target} times {@code against}'s. */
    Goals atMost(String measure, String against, double target) {
        goals.add(new Goal(measure, against, true, target));
        return this;
    }

    /** A Markdown table: each goal, both medians, the ratio, and whether it is met or by how much it is missed. */
    String table(Report report) {
        StringBuilder table = new StringBuilder("| measure | against | service | theirs | ratio | goal | result |\n"
                + "|---|---|---:|---:|---:|---:|---|\n");
        for (Goal goal : goals) {
            OptionalDouble service = report.median(goal.measure(), Report.SERVICE);
            OptionalDouble theirs = report.median(goal.measure(), goal.against());
            if (service.isEmpty() || theirs.isEmpty()) {
                continue;
            }
            double ratio = service.getAsDouble() / theirs.getAsDouble();
            boolean met = goal.atMost() ? ratio <= goal.target() : ratio >= goal.target();
            // How far the service is from the goal, in % of the goal: short of a floor, or over a ceiling.
            double missedBy = 100 * Math.abs(1 - ratio / goal.target());
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s %.2f | %s |%n",
                    goal.measure(), goal.against(), Report.number(service.getAsDouble()),
                    Report.number(theirs.getAsDouble()), ratio, goal.atMost() ? "≤" : "≥", goal.target(),
                    met ? "met" : String.format(Locale.ROOT, "missed: %.0f%% %s", missedBy,
                            goal.atMost() ? "over" : "short")));
        }
        return table.toString();
    }
}
