package dev.grpcpatterns.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The performance goals, each the service's median against another server's, measured in the same run: a ratio, or
 * a margin in the measure's own unit.
 */
final class Goals {

    /** {@code margin}: the target is {@code theirs + target}, not {@code theirs × target}. */
    private record Goal(String measure, String against, boolean atMost, double target, boolean margin) {
    }

    private final List<Goal> goals = new ArrayList<>();

    /** The service's {@code measure} must be at least {@code target} times {@code against}'s. */
    Goals atLeast(String measure, String against, double target) {
        goals.add(new Goal(measure, against, false, target, false));
        return this;
    }

    /** The service's {@code measure} must be at most {@code target} times {@code against}'s. */
    Goals atMost(String measure, String against, double target) {
        goals.add(new Goal(measure, against, true, target, false));
        return this;
    }

    /** The service's {@code measure} must be at most {@code against}'s plus {@code margin} (in its unit). */
    Goals atMostMore(String measure, String against, double margin) {
        goals.add(new Goal(measure, against, true, margin, true));
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
            double limit = goal.margin() ? theirs.getAsDouble() + goal.target() : theirs.getAsDouble() * goal.target();
            boolean met = goal.atMost() ? service.getAsDouble() <= limit : service.getAsDouble() >= limit;
            // How far the service is from the goal, in % of the goal: short of a floor, or over a ceiling.
            double missedBy = 100 * Math.abs(1 - service.getAsDouble() / limit);
            String target = goal.margin() ? String.format(Locale.ROOT, "%s theirs + %s", goal.atMost() ? "≤" : "≥",
                    Report.number(goal.target())) : String.format(Locale.ROOT, "%s %.2f", goal.atMost() ? "≤" : "≥",
                    goal.target());
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s |%n",
                    goal.measure(), goal.against(), Report.number(service.getAsDouble()),
                    Report.number(theirs.getAsDouble()), ratio, target,
                    met ? "met" : String.format(Locale.ROOT, "missed: %.0f%% %s", missedBy,
                            goal.atMost() ? "over" : "short")));
        }
        return table.toString();
    }
}
