package io.patchwarden.operator.policy;

import io.patchwarden.api.endpoint.ComplianceState;
import java.time.Instant;
import java.util.List;

/**
 * The compliance of one target against one policy. Pure value.
 *
 * @param reason why the target is in this state, naming the update, rule or field involved; null
 *     for a plain Compliant
 * @param missing the approved updates it has not installed (empty when the state is unknown)
 * @param dueBy the earliest deadline of a missing update, or null
 * @param nextChange when the result may change by the passing of time alone (it turns stale, a
 *     deadline passes, a deferral ends), or null
 */
public record TargetEvaluation(
    String name,
    ComplianceState state,
    String reason,
    List<MissingUpdate> missing,
    Instant dueBy,
    Instant nextChange) {

  public TargetEvaluation {
    missing = List.copyOf(missing);
  }

  public SeverityTally missingBySeverity() {
    return SeverityTally.of(missing);
  }
}
