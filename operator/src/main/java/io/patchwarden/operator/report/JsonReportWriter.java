package io.patchwarden.operator.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.policy.MissingUpdate;
import io.patchwarden.operator.support.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code {generatedAt, filters, namespaces: [{namespace, policies: [totals], targets: [...]}]}},
 * streamed with Jackson's generator.
 */
final class JsonReportWriter implements ReportWriter {
  private final JsonGenerator json;

  JsonReportWriter(OutputStream out) throws IOException {
    this.json = new JsonFactory().createGenerator(out);
  }

  @Override
  public void begin(Instant generatedAt, ReportQuery query) throws IOException {
    json.writeStartObject();
    json.writeStringField("generatedAt", Timestamps.format(generatedAt));
    json.writeObjectFieldStart("filters");
    field("namespace", query.namespace());
    field("policy", query.policy());
    field("state", query.state() == null ? null : query.state().name());
    json.writeEndObject();
    json.writeArrayFieldStart("namespaces");
  }

  @Override
  public void namespace(String namespace, List<PolicySummary> policies) throws IOException {
    json.writeStartObject();
    json.writeStringField("namespace", namespace);
    json.writeArrayFieldStart("policies");
    for (PolicySummary p : policies) {
      json.writeStartObject();
      json.writeStringField("policy", p.policy());
      json.writeNumberField("targets", p.targets());
      json.writeNumberField("compliant", p.compliant());
      json.writeObjectFieldStart("states");
      for (ComplianceState s : ComplianceState.values()) {
        json.writeNumberField(lowerFirst(s.name()), p.count(s));
      }
      json.writeEndObject();
      json.writeObjectFieldStart("missingUpdates");
      for (Severity s : Severity.values()) {
        json.writeNumberField(lowerFirst(s.name()), p.missing(s));
      }
      json.writeNumberField("knownExploited", p.knownExploited());
      json.writeEndObject();
      field(
          "earliestDueBy", p.earliestDueBy() == null ? null : Timestamps.format(p.earliestDueBy()));
      field("lastRun", p.lastRun());
      field("lastRunPhase", p.lastRunPhase());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("targets");
  }

  @Override
  public void target(TargetLine t) throws IOException {
    json.writeStartObject();
    json.writeStringField("policy", t.policy());
    json.writeStringField("kind", t.kind().name());
    json.writeStringField("target", t.target());
    json.writeStringField("state", t.state().name());
    field("reason", t.reason());
    field("dueBy", t.dueBy() == null ? null : Timestamps.format(t.dueBy()));
    field("lastRun", t.lastRun());
    field("lastResult", t.lastResult());
    field("lastSeen", t.lastSeen());
    json.writeArrayFieldStart("missing");
    for (MissingUpdate m : t.missing()) {
      json.writeStartObject();
      json.writeStringField("id", m.update().id());
      field("package", m.update().packageName());
      field("version", m.update().version());
      json.writeStringField("severity", m.severity().name());
      json.writeBooleanField("knownExploited", m.knownExploited());
      field("dueBy", m.dueBy() == null ? null : Timestamps.format(m.dueBy()));
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  @Override
  public void endNamespace() throws IOException {
    json.writeEndArray();
    json.writeEndObject();
    json.flush();
  }

  @Override
  public void end() throws IOException {
    json.writeEndArray();
    // Last, so that a report cut short (an API error while streaming) is recognisably incomplete.
    json.writeBooleanField("complete", true);
    json.writeEndObject();
    json.flush();
  }

  private void field(String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  private static String lowerFirst(String s) {
    return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }
}
