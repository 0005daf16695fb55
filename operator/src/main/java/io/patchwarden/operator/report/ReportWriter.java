package io.patchwarden.operator.report;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes the report as it is read: a namespace's summaries first, then its targets one by one, so a
 * report of any size needs memory for one page of targets only.
 */
interface ReportWriter {
  void begin(Instant generatedAt, ReportQuery query) throws IOException;

  void namespace(String namespace, List<PolicySummary> policies) throws IOException;

  void target(TargetLine line) throws IOException;

  void endNamespace() throws IOException;

  /** Ends the document and flushes; the caller closes the stream. */
  void end() throws IOException;
}
