package io.patchwarden.operator.policy;

import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.common.SeverityCounts;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.endpoint.PolicyCompliance;
import io.patchwarden.api.policy.ComplianceStateCounts;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.support.Timestamps;
import java.util.ArrayList;
import java.util.List;

/** Turns evaluation results into the API's status shapes. Pure. */
final class PolicyStatuses {
  /** PolicyCompliance.reason is bounded in the CRD. */
  static final int MAX_REASON = 1024;

  private PolicyStatuses() {}

  /** A target's entry in {@code ManagedEndpoint.status.compliance}. */
  static PolicyCompliance entry(String policy, TargetEvaluation e) {
    PolicyCompliance c = new PolicyCompliance();
    c.setPolicy(policy);
    c.setState(e.state());
    c.setMissing(e.missing().isEmpty() ? null : counts(e.missingBySeverity()));
    c.setDueBy(e.dueBy() == null ? null : Timestamps.format(e.dueBy()));
    c.setReason(cut(e.reason()));
    return c;
  }

  static void fill(PatchPolicyStatus status, ComplianceSummary s) {
    status.setTargets(s.targets());
    ComplianceStateCounts states = new ComplianceStateCounts();
    states.setCompliant(s.count(ComplianceState.Compliant));
    states.setMissing(s.count(ComplianceState.Missing));
    states.setPendingReboot(s.count(ComplianceState.PendingReboot));
    states.setFailed(s.count(ComplianceState.Failed));
    states.setOverdue(s.count(ComplianceState.Overdue));
    states.setStale(s.count(ComplianceState.Stale));
    states.setNotApplicable(s.count(ComplianceState.NotApplicable));
    status.setStates(states);
    status.setMissingUpdates(counts(s.missing()));
    status.setOverdueTargets(s.overdueTargets());
    status.setEarliestDueBy(
        s.earliestDueBy() == null ? null : Timestamps.format(s.earliestDueBy()));
  }

  /** Compliant=True when every target is Compliant or NotApplicable. */
  static void compliantCondition(StatusAggregator conditions, ComplianceSummary s) {
    String type = ConditionType.Compliant.name();
    if (s.targets() == 0) {
      conditions.set(
          type,
          ConditionStatus.TRUE,
          Reason.NoTargets.name(),
          "The policy's groups select no target.");
      return;
    }
    int fine = s.count(ComplianceState.Compliant) + s.count(ComplianceState.NotApplicable);
    if (fine == s.targets()) {
      conditions.set(
          type,
          ConditionStatus.TRUE,
          Reason.AllCompliant.name(),
          "All " + s.targets() + " targets are compliant.");
      return;
    }
    List<String> parts = new ArrayList<>();
    for (ComplianceState state : ComplianceState.values()) {
      if (state != ComplianceState.Compliant
          && state != ComplianceState.NotApplicable
          && s.count(state) > 0) {
        parts.add(s.count(state) + " " + state);
      }
    }
    conditions.set(
        type,
        ConditionStatus.FALSE,
        Reason.TargetsNotCompliant.name(),
        (s.targets() - fine)
            + " of "
            + s.targets()
            + " targets are not compliant: "
            + String.join(", ", parts)
            + ".");
  }

  static SeverityCounts counts(SeverityTally t) {
    SeverityCounts c = new SeverityCounts();
    c.setKnownExploited(t.knownExploited());
    c.setCritical(t.critical());
    c.setHigh(t.high());
    c.setMedium(t.medium());
    c.setLow(t.low());
    c.setUnspecified(t.unspecified());
    return c;
  }

  static String cut(String reason) {
    if (reason == null || reason.length() <= MAX_REASON) {
      return reason;
    }
    return reason.substring(0, MAX_REASON - 1) + "…";
  }
}
