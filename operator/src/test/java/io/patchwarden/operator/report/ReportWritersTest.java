package io.patchwarden.operator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.policy.MissingUpdate;
import io.patchwarden.operator.policy.Update;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Instant DUE = Instant.parse("2026-11-20T00:00:00Z");

  static MissingUpdate missing(String pkg, Severity severity, boolean kev) {
    Update u =
        new Update(
            pkg + "=1.2", pkg, "1.2", Classification.Security, severity, List.of(), null, null);
    return new MissingUpdate(u, severity, kev, DUE, "rule");
  }

  static final TargetLine OVERDUE =
      new TargetLine(
          "acme",
          "laptops",
          TargetKind.Endpoint,
          "pc-<script>",
          ComplianceState.Overdue,
          "openssl past its deadline, \"critical\"",
          DUE,
          List.of(
              missing("openssl", Severity.Critical, true), missing("curl", Severity.Low, false)),
          "laptops-20261101-010000",
          "Failed",
          "2026-11-23T11:59:00Z");
  static final TargetLine FINE =
      new TargetLine(
          "acme",
          "laptops",
          TargetKind.Node,
          "node-1",
          ComplianceState.Compliant,
          null,
          null,
          List.of(),
          null,
          null,
          null);

  static PolicySummary summary() {
    PolicySummary s = new PolicySummary("acme", "laptops", "laptops-20261101-010000", "Failed");
    s.add(OVERDUE);
    s.add(FINE);
    return s;
  }

  static void write(ReportWriter w) throws IOException {
    w.begin(NOW, new ReportQuery(ReportQuery.Format.html, "acme", null, null));
    w.namespace("acme", List.of(summary()));
    w.target(OVERDUE);
    w.target(FINE);
    w.endNamespace();
    w.end();
  }

  @Test
  void csvHasOneRowPerTargetAndMissingUpdateAndQuotesWhatNeedsIt() throws IOException {
    StringWriter out = new StringWriter();
    write(new CsvReportWriter(out));
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(out.toString()))
            .getRecords();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("updateId")).isEqualTo("openssl=1.2");
    assertThat(rows.get(0).get("knownExploited")).isEqualTo("true");
    assertThat(rows.get(0).get("reason")).isEqualTo("openssl past its deadline, \"critical\"");
    assertThat(rows.get(1).get("package")).isEqualTo("curl");
    assertThat(rows.get(2).get("target")).isEqualTo("node-1");
    assertThat(rows.get(2).get("updateId")).isEmpty();
  }

  @Test
  void jsonCarriesTotalsAndTargets() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(new JsonReportWriter(out));
    JsonNode root = new ObjectMapper().readTree(out.toByteArray());
    JsonNode ns = root.get("namespaces").get(0);
    JsonNode policy = ns.get("policies").get(0);
    assertThat(policy.get("targets").asInt()).isEqualTo(2);
    assertThat(policy.get("compliant").asInt()).isEqualTo(1);
    assertThat(policy.get("states").get("overdue").asInt()).isEqualTo(1);
    assertThat(policy.get("missingUpdates").get("critical").asInt()).isEqualTo(1);
    assertThat(policy.get("missingUpdates").get("knownExploited").asInt()).isEqualTo(1);
    assertThat(ns.get("targets")).hasSize(2);
    assertThat(ns.get("targets").get(0).get("missing")).hasSize(2);
    assertThat(root.get("filters").get("namespace").asText()).isEqualTo("acme");
    assertThat(root.get("complete").asBoolean()).as("written last").isTrue();
  }

  @Test
  void htmlEscapesWhatTargetsReportAndMarksTotals() throws IOException {
    StringWriter out = new StringWriter();
    write(new HtmlReportWriter(out));
    String html = out.toString();
    assertThat(html).doesNotContain("pc-<script>").contains("pc-&lt;script&gt;");
    assertThat(html).contains("data-total=\"targets\">2<").contains("data-total=\"compliant\">1<");
    assertThat(html).contains("<section class=\"namespace\" data-namespace=\"acme\">");
    assertThat(html)
        .endsWith("<p id=\"end-of-report\" class=\"meta\">End of report.</p></body></html>\n");
  }

  @Test
  void csvCellsThatLookLikeFormulasStayText() {
    assertThat(CsvReportWriter.inert("=HYPERLINK(\"http://x\")"))
        .isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(CsvReportWriter.inert("+1")).isEqualTo("'+1");
    assertThat(CsvReportWriter.inert("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvReportWriter.inert("pc-1")).isEqualTo("pc-1");
    assertThat(CsvReportWriter.inert("")).isEmpty();
  }
}
