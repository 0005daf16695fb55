package io.patchwarden.operator.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns what the demo observes into lines of text; no terminal handling, no cluster. */
final class ProgressView {
  static final int BAR = 24;

  private ProgressView() {}

  /** One line per policy: a bar of compliant targets, the run's phase and wave, the counts. */
  static String line(PolicyRow row) {
    String run =
        row.phase() == null
            ? "no run yet"
            : row.phase() + (row.wave() == null ? "" : " · wave " + row.wave());
    return String.format(
        Locale.ROOT,
        "%-34s %s %4d/%-4d %-32s overdue %-3d failed %-3d stale %-3d%s",
        row.key(),
        bar(row.compliant(), row.targets()),
        row.compliant(),
        row.targets(),
        run,
        row.overdue(),
        row.failed(),
        row.stale(),
        row.settled() ? "  ✓" : "");
  }

  /** {@code [██████······]}: the compliant share of the targets, in {@link #BAR} cells. */
  static String bar(int done, int total) {
    int filled = total <= 0 ? 0 : (int) Math.round((double) BAR * Math.min(done, total) / total);
    return "[" + "█".repeat(filled) + "·".repeat(BAR - filled) + "]";
  }

  /** Every policy has settled (and there is at least one). */
  static boolean converged(List<PolicyRow> rows) {
    return !rows.isEmpty() && rows.stream().allMatch(PolicyRow::settled);
  }

  /** The closing summary. */
  static List<String> summary(List<PolicyRow> rows, boolean converged, long seconds) {
    List<String> out = new ArrayList<>();
    out.add(
        converged
            ? String.format(Locale.ROOT, "Converged after %d s.", seconds)
            : String.format(Locale.ROOT, "Stopped after %d s without converging.", seconds));
    int targets = 0;
    int compliant = 0;
    for (PolicyRow row : rows) {
      targets += row.targets();
      compliant += row.compliant();
      out.add(
          String.format(
              Locale.ROOT,
              "  %-34s %4d of %4d compliant, %d failed, %d stale, %d overdue; last run %s%s",
              row.key(),
              row.compliant(),
              row.targets(),
              row.failed(),
              row.stale(),
              row.overdue(),
              row.run() == null ? "none" : row.run(),
              row.phase() == null ? "" : " (" + row.phase() + ")"));
    }
    out.add(
        String.format(
            Locale.ROOT,
            "  %d of %d policy targets compliant (%.0f%%)",
            compliant,
            targets,
            targets == 0 ? 0.0 : 100.0 * compliant / targets));
    return out;
  }
}
