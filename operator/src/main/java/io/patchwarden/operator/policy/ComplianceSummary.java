package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.support.Timestamps;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A policy's compliance over all its targets: what its status and metrics report. Pure value.
 *
 * @param states targets per compliance state (every state present, zero included)
 * @param missing approved-but-missing updates summed over targets, by severity
 * @param overdueBySeverity Overdue targets with at least one overdue update of that severity (keys:
 *     {@link #SEVERITY_KEYS})
 * @param oldestMissing per severity key, the earliest release (or first sighting) of a missing
 *     approved update; absent when none is missing
 * @param earliestDueBy the earliest deadline of any missing update, or null
 * @param nextChange when any target's result may change by time alone, or null
 */
public record ComplianceSummary(
    int targets,
    Map<ComplianceState, Integer> states,
    SeverityTally missing,
    Map<String, Integer> overdueBySeverity,
    Map<String, Instant> oldestMissing,
    Instant earliestDueBy,
    Instant nextChange) {

  /** Severity label values, as in status (SeverityCounts) and metrics. */
  public static final String KNOWN_EXPLOITED = "knownExploited";

  public static final List<String> SEVERITY_KEYS =
      List.of(KNOWN_EXPLOITED, "critical", "high", "medium", "low", "unspecified");

  public static String key(Severity severity) {
    return severity.name().toLowerCase(Locale.ROOT);
  }

  public int overdueTargets() {
    return states.get(ComplianceState.Overdue);
  }

  public int count(ComplianceState state) {
    return states.get(state);
  }

  public static ComplianceSummary of(Iterable<TargetEvaluation> evaluations, Instant now) {
    int targets = 0;
    Map<ComplianceState, Integer> states = new EnumMap<>(ComplianceState.class);
    for (ComplianceState s : ComplianceState.values()) {
      states.put(s, 0);
    }
    SeverityTally missing = SeverityTally.ZERO;
    Map<String, Integer> overdue = new LinkedHashMap<>();
    Map<String, Instant> oldest = new LinkedHashMap<>();
    Instant earliestDueBy = null;
    Instant next = null;
    Set<String> overdueKeys = new HashSet<>();
    for (TargetEvaluation e : evaluations) {
      targets++;
      states.merge(e.state(), 1, Integer::sum);
      next = Timestamps.earlier(next, e.nextChange());
      earliestDueBy = Timestamps.earlier(earliestDueBy, e.dueBy());
      if (e.missing().isEmpty()) {
        continue;
      }
      missing = missing.plus(e.missingBySeverity());
      overdueKeys.clear();
      for (MissingUpdate m : e.missing()) {
        String key = key(m.severity());
        m.update().countedFrom().ifPresent(from -> oldest.merge(key, from, Timestamps::earlier));
        if (m.knownExploited()) {
          m.update()
              .countedFrom()
              .ifPresent(from -> oldest.merge(KNOWN_EXPLOITED, from, Timestamps::earlier));
        }
        if (e.state() == ComplianceState.Overdue && m.overdueAt(now)) {
          overdueKeys.add(key);
          if (m.knownExploited()) {
            overdueKeys.add(KNOWN_EXPLOITED);
          }
        }
      }
      for (String key : overdueKeys) {
        overdue.merge(key, 1, Integer::sum);
      }
    }
    for (String key : SEVERITY_KEYS) {
      overdue.putIfAbsent(key, 0);
    }
    return new ComplianceSummary(
        targets,
        Collections.unmodifiableMap(states),
        missing,
        Collections.unmodifiableMap(overdue),
        Collections.unmodifiableMap(oldest),
        earliestDueBy,
        next);
  }
}
