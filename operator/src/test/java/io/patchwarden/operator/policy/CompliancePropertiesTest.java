package io.patchwarden.operator.policy;

import static io.patchwarden.operator.policy.PolicyFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.policy.Approval;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.Deadlines;
import io.patchwarden.api.policy.PatchMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws of the evaluation core over random policies, updates and targets. */
class CompliancePropertiesTest {
  private static final List<String> PACKAGES =
      List.of("openssl", "curl", "linux-image-amd64", "linux-headers-amd64", "bash", "vim");
  private static final List<String> CVES =
      List.of("CVE-2024-1086", "CVE-2021-4034", "CVE-2024-3094", "CVE-2023-0001");

  @Provide
  Arbitrary<Update> updates() {
    return Combinators.combine(
            Arbitraries.of(PACKAGES),
            Arbitraries.integers().between(1, 5),
            Arbitraries.of(Classification.class),
            Arbitraries.of(Severity.class),
            Arbitraries.of(CVES).set().ofMaxSize(2),
            Arbitraries.integers().between(-1, 120))
        .as(
            (pkg, v, classification, severity, cves, age) ->
                new Update(
                    pkg + "=" + v,
                    pkg,
                    String.valueOf(v),
                    classification,
                    severity,
                    new ArrayList<>(cves),
                    age < 0 ? null : NOW.minus(Duration.ofDays(age)),
                    age < 0 ? NOW.minus(Duration.ofDays(3)) : null));
  }

  @Provide
  Arbitrary<ApprovalRule> rules() {
    return Combinators.combine(
            Arbitraries.of(Classification.class).set().ofMaxSize(3),
            Arbitraries.of(Severity.class).injectNull(0.3),
            Arbitraries.of("0d", "2d", "7d", "30d"),
            Arbitraries.of(Severity.class).injectNull(0.7))
        .as(
            (classifications, min, after, override) -> {
              ApprovalRule r = new ApprovalRule();
              r.setClassifications(
                  classifications.isEmpty() ? null : new ArrayList<>(classifications));
              r.setMinSeverity(min);
              r.setApproveAfter(after);
              r.setComplianceSeverity(override);
              return r;
            });
  }

  @Provide
  Arbitrary<PatchMatcher> matchers() {
    Arbitrary<PatchMatcher> byPackage =
        Combinators.combine(
                Arbitraries.of("openssl", "linux-*", "*", "cu?l"),
                Arbitraries.of("1", "2").injectNull(0.6))
            .as(PolicyFixtures::byPackage);
    return Arbitraries.oneOf(
        byPackage,
        Arbitraries.of(CVES).map(PolicyFixtures::byCve),
        Arbitraries.of("openssl=1", "curl=2").map(PolicyFixtures::byId));
  }

  @Provide
  Arbitrary<List<Update>> updateLists() {
    return updates().list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<ApprovalRule>> ruleLists() {
    return rules().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<PatchMatcher>> matcherLists() {
    return matchers().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<Deadlines> deadlines() {
    Arbitrary<String> d = Arbitraries.of("1d", "7d", "14d", "30d", "90d").injectNull(0.3);
    return Combinators.combine(d, d, d, d, d).as(PolicyFixtures::deadlines);
  }

  private static Approval approval(
      List<ApprovalRule> rules, List<PatchMatcher> approve, List<PatchMatcher> reject) {
    return PolicyFixtures.approval(rules, approve, reject);
  }

  @Property
  void aRejectEntryNeverApprovesMore(
      @ForAll("updateLists") List<Update> updates,
      @ForAll("ruleLists") List<ApprovalRule> rules,
      @ForAll("matcherLists") List<PatchMatcher> approve,
      @ForAll("matchers") PatchMatcher extraReject) {
    ApprovalRules without = ApprovalRules.from(approval(rules, approve, List.of()));
    ApprovalRules with = ApprovalRules.from(approval(rules, approve, List.of(extraReject)));
    for (Update u : updates) {
      if (with.decide(u, NOW).approved()) {
        assertThat(without.decide(u, NOW).approved()).isTrue();
      }
      if (UpdateMatcher.from("r", extraReject).matches(u)) {
        assertThat(with.decide(u, NOW).refusal()).isEqualTo(ApprovalDecision.Refusal.Rejected);
      }
    }
  }

  @Property
  void approvalNeverWithdrawsAsTimePasses(
      @ForAll("updates") Update update,
      @ForAll("ruleLists") List<ApprovalRule> rules,
      @ForAll @IntRange(min = 0, max = 60) int laterDays) {
    ApprovalRules r = ApprovalRules.from(approval(rules, null, null));
    ApprovalDecision now = r.decide(update, NOW);
    ApprovalDecision later = r.decide(update, NOW.plus(Duration.ofDays(laterDays)));
    if (now.approved()) {
      assertThat(later.approved()).isTrue();
    }
    if (now.refusal() == ApprovalDecision.Refusal.TooNew
        && !now.approvableAt().isAfter(NOW.plus(Duration.ofDays(laterDays)))) {
      assertThat(later.approved()).as("approved once its deferral ended").isTrue();
    }
  }

  @Property
  void dueByIsNeverLaterThanTheSeverityDeadline(
      @ForAll("updates") Update update,
      @ForAll("deadlines") Deadlines deadlines,
      @ForAll boolean knownExploited) {
    DeadlineRules rules = DeadlineRules.from(deadlines);
    var due = rules.dueBy(update, update.severity(), knownExploited, java.util.Optional.empty());
    Duration severityDeadline = rules.bySeverity().get(update.severity());
    if (severityDeadline != null && update.countedFrom().isPresent()) {
      assertThat(due)
          .hasValueSatisfying(
              d ->
                  assertThat(d)
                      .isBeforeOrEqualTo(update.countedFrom().get().plus(severityDeadline)));
    }
    Instant catalogue = NOW.minus(Duration.ofDays(1));
    var withCatalogue =
        rules.dueBy(update, update.severity(), true, java.util.Optional.of(catalogue));
    assertThat(withCatalogue).hasValueSatisfying(d -> assertThat(d).isBeforeOrEqualTo(catalogue));
  }

  @Property
  void anOverdueTargetStaysOverdueUntilItIsPatchedOrStale(
      @ForAll("updateLists") List<Update> updates,
      @ForAll("ruleLists") List<ApprovalRule> rules,
      @ForAll("deadlines") Deadlines deadlines,
      @ForAll @IntRange(min = 0, max = 200) int laterDays) {
    ApprovalRules approval = ApprovalRules.from(approval(rules, null, null));
    DeadlineRules due = DeadlineRules.from(deadlines);
    TargetFacts target =
        new TargetFacts("t", true, updates, false, NOW, Duration.ofDays(365), Set.of(), null);
    ComplianceState now =
        new ComplianceEvaluator(approval, due, null, NOW).evaluate(target).state();
    ComplianceState later =
        new ComplianceEvaluator(approval, due, null, NOW.plus(Duration.ofDays(laterDays)))
            .evaluate(target)
            .state();
    if (now == ComplianceState.Overdue) {
      assertThat(later).isEqualTo(ComplianceState.Overdue);
    }
    if (now == ComplianceState.Missing) {
      assertThat(later).isIn(ComplianceState.Missing, ComplianceState.Overdue);
    }
  }

  @Property
  void theSummaryAccountsForEveryTarget(
      @ForAll("updateLists") List<Update> updates,
      @ForAll("ruleLists") List<ApprovalRule> rules,
      @ForAll("deadlines") Deadlines deadlines,
      @ForAll @IntRange(min = 0, max = 30) int targets) {
    ComplianceEvaluator ev =
        new ComplianceEvaluator(
            ApprovalRules.from(approval(rules, null, null)),
            DeadlineRules.from(deadlines),
            null,
            NOW);
    List<TargetEvaluation> results = new ArrayList<>();
    int missing = 0;
    for (int i = 0; i < targets; i++) {
      // Each target has a different slice of the updates and is seen at a different time.
      List<Update> own = updates.subList(0, updates.isEmpty() ? 0 : i % (updates.size() + 1));
      TargetFacts t =
          new TargetFacts(
              "t" + i,
              i % 7 != 6,
              new ArrayList<>(new HashSet<>(own)),
              i % 5 == 0,
              NOW.minus(Duration.ofDays(i)),
              Duration.ofDays(10),
              Set.of(),
              null);
      TargetEvaluation e = ev.evaluate(t);
      results.add(e);
      missing += e.missing().size();
      assertThat(e.state() == ComplianceState.Stale).isEqualTo(!t.reported() || i >= 10);
      if (e.state() == ComplianceState.Compliant || e.state() == ComplianceState.PendingReboot) {
        assertThat(e.missing()).isEmpty();
      }
      assertThat(e.dueBy() == null)
          .isEqualTo(e.missing().stream().allMatch(m -> m.dueBy() == null));
    }
    ComplianceSummary s = ComplianceSummary.of(results, NOW);
    assertThat(s.states().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(targets);
    assertThat(s.missing().total()).isEqualTo(missing);
    assertThat(s.overdueBySeverity().values())
        .allSatisfy(n -> assertThat(n).isBetween(0, s.overdueTargets()));
  }
}
