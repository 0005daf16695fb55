package io.patchwarden.operator.policy;

import static io.patchwarden.operator.policy.PolicyFixtures.NOW;
import static io.patchwarden.operator.policy.PolicyFixtures.approval;
import static io.patchwarden.operator.policy.PolicyFixtures.daysAgo;
import static io.patchwarden.operator.policy.PolicyFixtures.deadlines;
import static io.patchwarden.operator.policy.PolicyFixtures.rule;
import static io.patchwarden.operator.policy.PolicyFixtures.security;
import static io.patchwarden.operator.policy.PolicyFixtures.seen;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.api.common.Severity;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PolicyGauges gauges = new PolicyGauges(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private static ComplianceSummary summary(int targets) {
    ComplianceEvaluator ev =
        new ComplianceEvaluator(
            ApprovalRules.from(approval(List.of(rule("0d", null)), null, null)),
            DeadlineRules.from(deadlines("2d", "7d", "14d", "30d", "90d")),
            null,
            NOW);
    List<TargetEvaluation> results = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      Severity severity = Severity.values()[i % Severity.values().length];
      results.add(
          ev.evaluate(
              seen("t" + i, List.of(security("u" + i + "=1", severity, daysAgo(i % 100))))));
    }
    return ComplianceSummary.of(results, NOW);
  }

  private int series() {
    gauges.refresh();
    return registry.getMeters().size();
  }

  @Test
  void theSeriesCountDoesNotGrowWithTargets() {
    gauges.put("ns", "p", summary(5));
    int few = series();
    gauges.put("ns", "p", summary(5_000));
    assertThat(series()).isEqualTo(few);
    assertThat(few).as("7 states + 6 missing + 6 overdue + up to 6 ages").isBetween(19, 25);
  }

  @Test
  void aDeletedPolicysSeriesVanish() {
    gauges.put("ns", "a", summary(10));
    gauges.put("ns", "b", summary(10));
    int two = series();
    gauges.remove("ns", "a");
    assertThat(series()).isEqualTo(two / 2);
    assertThat(registry.find("patchwarden.policy.targets").tag("policy", "a").gauges()).isEmpty();
    assertThat(
            registry
                .find("patchwarden.policy.targets")
                .tag("policy", "b")
                .tag("state", "Overdue")
                .gauge()
                .value())
        .isGreaterThan(0);
  }

  @Test
  void ageIsComputedAtScrapeTime() {
    gauges.put("ns", "p", summary(100));
    gauges.refresh();
    double age =
        registry
            .find("patchwarden.policy.oldest.missing.update.age")
            .tag("severity", "critical")
            .gauge()
            .value();
    // Target 99 (99 % 5 == Critical's ordinal) has the oldest Critical update: 99 days old.
    assertThat(age).isEqualTo(99 * 86400.0);
  }
}
