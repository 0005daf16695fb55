package io.patchwarden.operator.report;

import io.patchwarden.operator.policy.MissingUpdate;
import io.patchwarden.operator.support.Timestamps;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** One row per target and missing update; a target missing nothing gets one row. RFC 4180. */
final class CsvReportWriter implements ReportWriter {
  static final String[] HEADER = {
    "namespace",
    "policy",
    "kind",
    "target",
    "state",
    "reason",
    "dueBy",
    "lastRun",
    "lastResult",
    "lastSeen",
    "updateId",
    "package",
    "version",
    "severity",
    "knownExploited",
    "updateDueBy"
  };

  private final CSVPrinter csv;

  CsvReportWriter(Writer out) throws IOException {
    this.csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get());
  }

  @Override
  public void begin(Instant generatedAt, ReportQuery query) {}

  @Override
  public void namespace(String namespace, List<PolicySummary> policies) {}

  @Override
  public void target(TargetLine t) throws IOException {
    if (t.missing().isEmpty()) {
      csv.printRecord(common(t, null));
      return;
    }
    for (MissingUpdate m : t.missing()) {
      csv.printRecord(common(t, m));
    }
  }

  private static Object[] common(TargetLine t, MissingUpdate m) {
    Object[] cells = cells(t, m);
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] instanceof String s) {
        cells[i] = inert(s);
      }
    }
    return cells;
  }

  /**
   * Agents report names and versions, and the CSV goes into spreadsheets: a cell that starts like a
   * formula is prefixed with an apostrophe so that it stays text (OWASP's CSV injection advice).
   */
  static String inert(String cell) {
    if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
      return "'" + cell;
    }
    return cell;
  }

  private static Object[] cells(TargetLine t, MissingUpdate m) {
    return new Object[] {
      t.namespace(),
      t.policy(),
      t.kind(),
      t.target(),
      t.state(),
      t.reason(),
      t.dueBy() == null ? null : Timestamps.format(t.dueBy()),
      t.lastRun(),
      t.lastResult(),
      t.lastSeen(),
      m == null ? null : m.update().id(),
      m == null ? null : m.update().packageName(),
      m == null ? null : m.update().version(),
      m == null ? null : m.severity(),
      m == null ? null : m.knownExploited(),
      m == null || m.dueBy() == null ? null : Timestamps.format(m.dueBy())
    };
  }

  @Override
  public void endNamespace() throws IOException {
    csv.flush();
  }

  @Override
  public void end() throws IOException {
    csv.flush();
  }
}
