package io.patchwarden.operator.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.metrics.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A policy's compliance metrics, from the summary of its last evaluation pass: set, never
 * incremented, so they cannot drift; a deleted policy's series vanish with its summary. Labels are
 * namespace, policy, state and severity only — never a target's name — so the series count does not
 * grow with the fleet.
 */
public final class PolicyGauges {
  private record Key(String namespace, String policy) {}

  private final Map<Key, ComplianceSummary> summaries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final MultiGauge targets;
  private final MultiGauge missing;
  private final MultiGauge overdue;
  private final MultiGauge oldest;
  private final MultiGauge nextDue;

  public PolicyGauges(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    targets = gauge(registry, MetricNames.POLICY_TARGETS, MetricNames.POLICY_TARGETS_HELP, null);
    missing =
        gauge(
            registry,
            MetricNames.POLICY_MISSING_UPDATES,
            MetricNames.POLICY_MISSING_UPDATES_HELP,
            null);
    overdue =
        gauge(
            registry,
            MetricNames.POLICY_OVERDUE_TARGETS,
            MetricNames.POLICY_OVERDUE_TARGETS_HELP,
            null);
    oldest =
        gauge(
            registry,
            MetricNames.POLICY_OLDEST_MISSING_AGE,
            MetricNames.POLICY_OLDEST_MISSING_AGE_HELP,
            "seconds");
    nextDue =
        gauge(registry, MetricNames.POLICY_NEXT_DUE, MetricNames.POLICY_NEXT_DUE_HELP, "seconds");
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String help, String unit) {
    MultiGauge.Builder b = MultiGauge.builder(name).description(help);
    if (unit != null) {
      b.baseUnit(unit);
    }
    return b.register(registry);
  }

  void put(String namespace, String policy, ComplianceSummary summary) {
    summaries.put(new Key(namespace, policy), summary);
  }

  void remove(String namespace, String policy) {
    summaries.remove(new Key(namespace, policy));
  }

  /** Called before each scrape; ages are computed at scrape time. */
  public void refresh() {
    Instant now = clock.instant();
    List<MultiGauge.Row<?>> targetRows = new ArrayList<>();
    List<MultiGauge.Row<?>> missingRows = new ArrayList<>();
    List<MultiGauge.Row<?>> overdueRows = new ArrayList<>();
    List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
    List<MultiGauge.Row<?>> nextDueRows = new ArrayList<>();
    summaries.forEach(
        (key, s) -> {
          Tags tags =
              Tags.of(MetricNames.NAMESPACE, key.namespace(), MetricNames.POLICY, key.policy());
          for (ComplianceState state : ComplianceState.values()) {
            targetRows.add(
                MultiGauge.Row.of(tags.and(MetricNames.STATE, state.name()), s.count(state)));
          }
          for (Severity severity : Severity.values()) {
            missingRows.add(
                MultiGauge.Row.of(
                    tags.and(MetricNames.SEVERITY, ComplianceSummary.key(severity)),
                    s.missing().get(severity)));
          }
          missingRows.add(
              MultiGauge.Row.of(
                  tags.and(MetricNames.SEVERITY, ComplianceSummary.KNOWN_EXPLOITED),
                  s.missing().knownExploited()));
          s.overdueBySeverity()
              .forEach(
                  (severity, n) ->
                      overdueRows.add(
                          MultiGauge.Row.of(tags.and(MetricNames.SEVERITY, severity), n)));
          if (s.earliestDueBy() != null) {
            nextDueRows.add(MultiGauge.Row.of(tags, s.earliestDueBy().getEpochSecond()));
          }
          s.oldestMissing()
              .forEach(
                  (severity, from) ->
                      oldestRows.add(
                          MultiGauge.Row.of(
                              tags.and(MetricNames.SEVERITY, severity),
                              Math.max(0, Duration.between(from, now).toSeconds()))));
        });
    targets.register(targetRows, true);
    missing.register(missingRows, true);
    overdue.register(overdueRows, true);
    oldest.register(oldestRows, true);
    nextDue.register(nextDueRows, true);
  }
}
