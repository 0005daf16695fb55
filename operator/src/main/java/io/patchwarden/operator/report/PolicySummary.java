package io.patchwarden.operator.report;

import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.policy.MissingUpdate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Totals of one policy over the targets the report lists. Accumulated line by line. */
public final class PolicySummary {
  private final String namespace;
  private final String policy;
  private final String lastRun;
  private final String lastRunPhase;
  private final Map<ComplianceState, Integer> states = new EnumMap<>(ComplianceState.class);
  private final Map<Severity, Integer> missing = new EnumMap<>(Severity.class);
  private int knownExploited;
  private int targets;
  private Instant earliestDueBy;

  public PolicySummary(String namespace, String policy, String lastRun, String lastRunPhase) {
    this.namespace = namespace;
    this.policy = policy;
    this.lastRun = lastRun;
    this.lastRunPhase = lastRunPhase;
    for (ComplianceState s : ComplianceState.values()) {
      states.put(s, 0);
    }
    for (Severity s : Severity.values()) {
      missing.put(s, 0);
    }
  }

  void add(TargetLine line) {
    targets++;
    states.merge(line.state(), 1, Integer::sum);
    for (MissingUpdate m : line.missing()) {
      missing.merge(m.severity(), 1, Integer::sum);
      knownExploited += m.knownExploited() ? 1 : 0;
    }
    if (line.dueBy() != null && (earliestDueBy == null || line.dueBy().isBefore(earliestDueBy))) {
      earliestDueBy = line.dueBy();
    }
  }

  public String namespace() {
    return namespace;
  }

  public String policy() {
    return policy;
  }

  public String lastRun() {
    return lastRun;
  }

  public String lastRunPhase() {
    return lastRunPhase;
  }

  public int targets() {
    return targets;
  }

  public int count(ComplianceState state) {
    return states.get(state);
  }

  /** Compliant and NotApplicable targets count as compliant, as on the policy's status. */
  public int compliant() {
    return count(ComplianceState.Compliant) + count(ComplianceState.NotApplicable);
  }

  public int missing(Severity severity) {
    return missing.get(severity);
  }

  public int knownExploited() {
    return knownExploited;
  }

  public Instant earliestDueBy() {
    return earliestDueBy;
  }
}
