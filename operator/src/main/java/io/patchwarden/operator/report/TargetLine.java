package io.patchwarden.operator.report;

import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.policy.MissingUpdate;
import java.time.Instant;
import java.util.List;

/**
 * One target of one policy in the report. Pure value.
 *
 * @param missing the approved updates it lacks (empty for nodes, compared with a target instead)
 * @param lastRun the run that last touched it, or null
 * @param lastResult what that run did to it (Succeeded, Failed, a node state), or null
 * @param lastSeen when the agent last checked in (endpoints) or the node's heartbeat, or null
 */
public record TargetLine(
    String namespace,
    String policy,
    TargetKind kind,
    String target,
    ComplianceState state,
    String reason,
    Instant dueBy,
    List<MissingUpdate> missing,
    String lastRun,
    String lastResult,
    String lastSeen) {

  public TargetLine {
    missing = List.copyOf(missing);
  }
}
