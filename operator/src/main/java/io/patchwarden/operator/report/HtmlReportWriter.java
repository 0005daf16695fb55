package io.patchwarden.operator.report;

import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.policy.MissingUpdate;
import io.patchwarden.operator.support.Timestamps;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.text.StringEscapeUtils;

/**
 * A printable page per namespace — what an MSP hands its customer: the policies' totals first, then
 * every target with its state, what it misses and until when. No scripts, no external resources;
 * {@code data-*} attributes name the figures for machines.
 */
final class HtmlReportWriter implements ReportWriter {
  private static final String STYLE =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#1b1f24}"
          + "h1{font-size:1.5em}h2{font-size:1.25em;margin-top:0}"
          + "table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.85em}"
          + "th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}"
          + "th{background:#f6f8fa}td.num{text-align:right}"
          + ".Compliant,.NotApplicable{color:#1a7f37}.Overdue,.Failed{color:#cf222e;font-weight:600}"
          + ".Missing,.PendingReboot{color:#9a6700}.Stale{color:#57606a}"
          + "section.namespace{page-break-after:always;break-after:page;margin-bottom:3em}"
          + "p.meta{color:#57606a}table.summary{font-size:.8em}"
          + "@media print{body{margin:0}}";

  private final Writer out;
  private int namespaces;

  HtmlReportWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void begin(Instant generatedAt, ReportQuery query) throws IOException {
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.write("<title>Patchwarden compliance report</title><style>" + STYLE + "</style></head>");
    out.write("<body><h1>Patchwarden compliance report</h1>");
    out.write(
        "<p class=\"meta\">Generated <time id=\"generated-at\">"
            + Timestamps.format(generatedAt)
            + "</time>"
            + filters(query)
            + "</p>\n");
  }

  private static String filters(ReportQuery q) {
    StringBuilder b = new StringBuilder();
    if (q.namespace() != null) {
      b.append("; namespace ").append(e(q.namespace()));
    }
    if (q.policy() != null) {
      b.append("; policy ").append(e(q.policy()));
    }
    if (q.state() != null) {
      b.append("; state ").append(q.state());
    }
    return b.toString();
  }

  @Override
  public void namespace(String namespace, List<PolicySummary> policies) throws IOException {
    namespaces++;
    out.write("<section class=\"namespace\" data-namespace=\"" + e(namespace) + "\">");
    out.write("<h2>Namespace " + e(namespace) + "</h2>");
    out.write("<table class=\"summary\"><thead><tr><th>Policy</th><th>Targets</th>");
    out.write("<th>Compliant</th>");
    for (ComplianceState s : ComplianceState.values()) {
      if (s != ComplianceState.Compliant) {
        out.write("<th>" + s + "</th>");
      }
    }
    out.write("<th>Missing C / H / M / L / U</th><th>Known exploited</th>");
    out.write("<th>Earliest due</th><th>Last run</th></tr></thead><tbody>");
    for (PolicySummary p : policies) {
      String policy = e(p.policy());
      out.write("<tr data-policy=\"" + policy + "\"><td>" + policy + "</td>");
      out.write(num("targets", p.targets()));
      out.write(num("compliant", p.compliant()));
      for (ComplianceState s : ComplianceState.values()) {
        if (s != ComplianceState.Compliant) {
          out.write(num(s.name(), p.count(s)));
        }
      }
      out.write(
          "<td class=\"num\" data-total=\"missing\">"
              + List.of(Severity.Critical, Severity.High, Severity.Medium, Severity.Low).stream()
                  .map(s -> Integer.toString(p.missing(s)))
                  .collect(Collectors.joining(" / "))
              + " / "
              + p.missing(Severity.Unspecified)
              + "</td>");
      out.write(num("knownExploited", p.knownExploited()));
      out.write(
          "<td>"
              + (p.earliestDueBy() == null ? "—" : Timestamps.format(p.earliestDueBy()))
              + "</td>");
      out.write(
          "<td>"
              + (p.lastRun() == null
                  ? "—"
                  : e(p.lastRun())
                      + (p.lastRunPhase() == null ? "" : " (" + e(p.lastRunPhase()) + ")"))
              + "</td></tr>");
    }
    out.write("</tbody></table>");
    out.write("<table class=\"targets\"><thead><tr><th>Policy</th><th>Kind</th><th>Target</th>");
    out.write("<th>State</th><th>Missing approved updates</th><th>Due</th><th>Last run</th>");
    out.write("<th>Last seen</th></tr></thead><tbody>\n");
  }

  private static String num(String name, int value) {
    return "<td class=\"num\" data-total=\"" + name + "\">" + value + "</td>";
  }

  @Override
  public void target(TargetLine t) throws IOException {
    out.write("<tr><td>" + e(t.policy()) + "</td><td>" + t.kind() + "</td><td>");
    out.write(e(t.target()) + "</td><td class=\"" + t.state() + "\">" + t.state());
    if (t.reason() != null && t.state() != ComplianceState.Compliant) {
      out.write("<br><small>" + e(t.reason()) + "</small>");
    }
    out.write("</td><td>");
    int shown = 0;
    for (MissingUpdate m : t.missing()) {
      if (shown++ == 10) {
        out.write("… and " + (t.missing().size() - 10) + " more (see the CSV)");
        break;
      }
      out.write(
          e(m.update().packageName() == null ? m.update().id() : m.update().packageName())
              + (m.update().version() == null ? "" : " " + e(m.update().version()))
              + " <small>("
              + m.severity()
              + (m.knownExploited() ? ", known exploited" : "")
              + ")</small><br>");
    }
    out.write("</td><td>" + (t.dueBy() == null ? "" : Timestamps.format(t.dueBy())) + "</td>");
    out.write(
        "<td>"
            + (t.lastRun() == null
                ? ""
                : e(t.lastRun()) + (t.lastResult() == null ? "" : ": " + e(t.lastResult())))
            + "</td><td>"
            + (t.lastSeen() == null ? "" : e(t.lastSeen()))
            + "</td></tr>\n");
  }

  @Override
  public void endNamespace() throws IOException {
    out.write("</tbody></table></section>\n");
    out.flush();
  }

  @Override
  public void end() throws IOException {
    if (namespaces == 0) {
      out.write("<p id=\"empty\">No policies to report (or none you may read).</p>");
    }
    // Last, so that a page cut short (an API error while streaming) shows it is incomplete.
    out.write("<p id=\"end-of-report\" class=\"meta\">End of report.</p>");
    out.write("</body></html>\n");
    out.flush();
  }

  private static String e(String s) {
    return StringEscapeUtils.escapeHtml4(s);
  }
}
