package io.patchwarden.operator.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the demo's progress goes. On a terminal the policy table is redrawn in place under the
 * events, which scroll; otherwise (a pipe, a CI log) each event and each changed policy line is
 * printed once, with the time.
 */
final class Screen {
  private final PrintStream out;
  private final boolean redraw;
  private final Clock clock;
  private final Map<String, String> lastLines = new HashMap<>();
  private int drawnLines;

  Screen(PrintStream out, boolean redraw, Clock clock) {
    this.out = out;
    this.redraw = redraw;
    this.clock = clock;
  }

  /** A terminal that understands ANSI escapes (not a pipe, not TERM=dumb). */
  static boolean isTerminal(Map<String, String> env) {
    String term = env.getOrDefault("TERM", "");
    return System.console() != null && !term.isEmpty() && !term.equals("dumb");
  }

  /** A line that stays (an event, a hint). */
  synchronized void note(String line) {
    clearTable();
    out.println(stamp() + line);
    out.flush();
  }

  /** The current policy table: redrawn on a terminal, changed lines only otherwise. */
  synchronized void table(String header, List<PolicyRow> rows) {
    if (redraw) {
      clearTable();
      out.println(header);
      rows.forEach(r -> out.println("  " + ProgressView.line(r)));
      drawnLines = rows.size() + 1;
    } else {
      for (PolicyRow row : rows) {
        String line = ProgressView.line(row);
        if (!line.equals(lastLines.put(row.key(), line))) {
          out.println(stamp() + line);
        }
      }
    }
    out.flush();
  }

  private void clearTable() {
    if (redraw && drawnLines > 0) {
      out.print("\033[" + drawnLines + "F\033[J"); // up to the table's first line, clear below
      drawnLines = 0;
    }
  }

  private String stamp() {
    return LocalTime.now(clock.withZone(ZoneId.systemDefault()))
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_LOCAL_TIME)
        + "  ";
  }
}
