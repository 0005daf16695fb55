package io.patchwarden.operator.policy;

import static io.patchwarden.operator.policy.PolicyFixtures.NOW;
import static io.patchwarden.operator.policy.PolicyFixtures.approval;
import static io.patchwarden.operator.policy.PolicyFixtures.byPackage;
import static io.patchwarden.operator.policy.PolicyFixtures.daysAgo;
import static io.patchwarden.operator.policy.PolicyFixtures.deadlines;
import static io.patchwarden.operator.policy.PolicyFixtures.rule;
import static io.patchwarden.operator.policy.PolicyFixtures.security;
import static io.patchwarden.operator.policy.PolicyFixtures.seen;
import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComplianceEvaluatorTest {
  /** Approves every Security update at once; deadlines as in DESIGN.md. */
  private static ComplianceEvaluator evaluator(KnownExploitedCatalog catalogue) {
    return new ComplianceEvaluator(
        ApprovalRules.from(
            approval(
                List.of(rule("0d", null, Classification.Security)),
                null,
                List.of(byPackage("linux-image-*", null)))),
        DeadlineRules.from(deadlines("2d", "7d", "14d", "30d", "90d")),
        catalogue,
        NOW);
  }

  private static ComplianceEvaluator evaluator() {
    return evaluator(KnownExploitedCatalog.EMPTY);
  }

  static KnownExploitedCatalog fixtureCatalogue() throws Exception {
    try (InputStream in =
        ComplianceEvaluatorTest.class.getResourceAsStream(
            "/kev/known_exploited_vulnerabilities.json")) {
      return KnownExploitedCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void nothingApprovedMissingIsCompliant() {
    TargetEvaluation e =
        evaluator()
            .evaluate(
                seen(
                    "pc-1",
                    List.of(
                        PolicyFixtures.update(
                            "vim=9", Severity.Low, Classification.Enhancement, daysAgo(200)),
                        security("linux-image-amd64=6.1.99", Severity.Critical, daysAgo(200)))));
    assertThat(e.state()).isEqualTo(ComplianceState.Compliant);
    assertThat(e.missing()).isEmpty();
    assertThat(e.dueBy()).isNull();
  }

  @Test
  void missingCarriesDueByPerUpdateAndTheEarliestForTheTarget() {
    Instant released = daysAgo(3);
    TargetEvaluation e =
        evaluator()
            .evaluate(
                seen(
                    "pc-1",
                    List.of(
                        security("curl=8.5", Severity.High, released),
                        security("openssl=3.0.15", Severity.Critical, released))));
    assertThat(e.state()).isEqualTo(ComplianceState.Missing);
    assertThat(e.missing())
        .extracting(m -> m.update().id(), MissingUpdate::dueBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("curl=8.5", released.plus(Duration.ofDays(14))),
            org.assertj.core.groups.Tuple.tuple(
                "openssl=3.0.15", released.plus(Duration.ofDays(7))));
    assertThat(e.dueBy()).isEqualTo(released.plus(Duration.ofDays(7)));
    assertThat(e.missingBySeverity()).isEqualTo(new SeverityTally(1, 1, 0, 0, 0, 0));
    assertThat(e.nextChange())
        .as("the first deadline")
        .isEqualTo(released.plus(Duration.ofDays(7)));
  }

  @Test
  void pastItsDeadlineIsOverdue() {
    TargetEvaluation e =
        evaluator()
            .evaluate(
                seen("pc-1", List.of(security("openssl=3.0.15", Severity.Critical, daysAgo(8)))));
    assertThat(e.state()).isEqualTo(ComplianceState.Overdue);
    assertThat(e.reason()).contains("openssl=3.0.15 (Critical)").contains("due " + daysAgo(1));
  }

  @Test
  void unspecifiedSeverityGetsMediumsDeadlineUnlessSetItself() {
    Update apt =
        new Update(
            "bash=5.2", "bash", "5.2", Classification.Security, null, null, daysAgo(10), null);
    assertThat(evaluator().evaluate(seen("pc", List.of(apt))).dueBy())
        .isEqualTo(daysAgo(10).plus(Duration.ofDays(30)));
    var own = deadlines(null, null, null, "30d", null);
    own.setUnspecified("5d");
    var e =
        new ComplianceEvaluator(
            ApprovalRules.from(approval(List.of(rule("0d", null)), null, null)),
            DeadlineRules.from(own),
            null,
            NOW);
    assertThat(e.evaluate(seen("pc", List.of(apt))).state()).isEqualTo(ComplianceState.Overdue);
  }

  @Test
  void aKnownExploitedUpdateIsDueAtTheEarlierOfItsDeadlineAndTheCataloguesDueDate()
      throws Exception {
    KnownExploitedCatalog kev = fixtureCatalogue();
    // CVE-2024-1086 is in the fixture; released long before the catalogue's due date passed.
    Update kernel =
        security(
            "linux-libc-dev=6.1.85",
            Severity.High,
            Instant.parse("2024-03-01T00:00:00Z"),
            "CVE-2024-1086");
    ComplianceEvaluator.Verdict v = evaluator(kev).verdict(kernel);
    assertThat(v.knownExploited()).isTrue();
    Instant catalogueDue =
        kev.lookup("CVE-2024-1086")
            .orElseThrow()
            .dueDate()
            .plusDays(1)
            .atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant();
    Instant ownDeadline = Instant.parse("2024-03-03T00:00:00Z"); // knownExploited: 2d
    assertThat(v.dueBy())
        .isEqualTo(ownDeadline.isBefore(catalogueDue) ? ownDeadline : catalogueDue);

    // Released just now: the catalogue's (past) due date is the earlier one.
    Update fresh = security("linux-libc-dev=6.1.99", Severity.Low, NOW, "CVE-2024-1086");
    assertThat(evaluator(kev).verdict(fresh).dueBy()).isEqualTo(catalogueDue);
    TargetEvaluation e = evaluator(kev).evaluate(seen("srv", List.of(fresh)));
    assertThat(e.state()).isEqualTo(ComplianceState.Overdue);
    assertThat(e.reason()).contains("known-exploited");
    assertThat(e.missingBySeverity().knownExploited()).isEqualTo(1);
  }

  @Test
  void withoutACatalogueTheSameUpdateIsNotKnownExploited() {
    Update fresh = security("linux-libc-dev=6.1.99", Severity.Low, NOW, "CVE-2024-1086");
    assertThat(evaluator().verdict(fresh).knownExploited()).isFalse();
    assertThat(evaluator().evaluate(seen("srv", List.of(fresh))).state())
        .isEqualTo(ComplianceState.Missing);
  }

  @Test
  void precedenceFollowsTheDocumentedOrder() {
    ComplianceEvaluator ev = evaluator();
    Update overdue = security("a=1", Severity.Critical, daysAgo(30));
    Update missing = security("b=1", Severity.Low, daysAgo(1));
    Duration week = Duration.ofDays(7);

    TargetFacts neverReported =
        new TargetFacts("t", false, List.of(), false, null, week, Set.of(), null);
    assertThat(ev.evaluate(neverReported).state()).isEqualTo(ComplianceState.Stale);

    TargetFacts staleAndOverdue =
        new TargetFacts("t", true, List.of(overdue), true, daysAgo(8), week, Set.of("a=1"), null);
    assertThat(ev.evaluate(staleAndOverdue).state())
        .as("unknown beats everything")
        .isEqualTo(ComplianceState.Stale);

    TargetFacts unreadable = TargetFacts.unreadable("t", daysAgo(1), week, "releaseDate: bad");
    assertThat(ev.evaluate(unreadable))
        .extracting(TargetEvaluation::state, TargetEvaluation::reason)
        .containsExactly(ComplianceState.Failed, "inventory cannot be read: releaseDate: bad");

    TargetFacts overdueAndFailed =
        new TargetFacts(
            "t", true, List.of(overdue, missing), true, daysAgo(1), week, Set.of("b=1"), null);
    assertThat(ev.evaluate(overdueAndFailed).state()).isEqualTo(ComplianceState.Overdue);

    TargetFacts failed =
        new TargetFacts("t", true, List.of(missing), true, daysAgo(1), week, Set.of("b=1"), null);
    assertThat(ev.evaluate(failed))
        .extracting(TargetEvaluation::state, TargetEvaluation::reason)
        .containsExactly(
            ComplianceState.Failed,
            "the last attempt to install 1 approved update failed, e.g. b=1");

    TargetFacts failedButInstalled =
        new TargetFacts("t", true, List.of(), false, daysAgo(1), week, Set.of("b=1"), null);
    assertThat(ev.evaluate(failedButInstalled).state())
        .as("a failure that was fixed since")
        .isEqualTo(ComplianceState.Compliant);

    TargetFacts missingAndReboot =
        new TargetFacts("t", true, List.of(missing), true, daysAgo(1), week, Set.of(), null);
    assertThat(ev.evaluate(missingAndReboot).state()).isEqualTo(ComplianceState.Missing);

    TargetFacts reboot =
        new TargetFacts("t", true, List.of(), true, daysAgo(1), week, Set.of(), null);
    assertThat(ev.evaluate(reboot).state()).isEqualTo(ComplianceState.PendingReboot);
  }

  @Test
  void aTargetTurnsStaleAtLastSeenPlusStaleAfter() {
    Instant lastSeen = NOW.minus(Duration.ofHours(23));
    TargetFacts t =
        new TargetFacts("t", true, List.of(), false, lastSeen, Duration.ofDays(1), Set.of(), null);
    TargetEvaluation e = evaluator().evaluate(t);
    assertThat(e.state()).isEqualTo(ComplianceState.Compliant);
    assertThat(e.nextChange()).isEqualTo(lastSeen.plus(Duration.ofDays(1)));
    ComplianceEvaluator later =
        new ComplianceEvaluator(ApprovalRules.from(null), DeadlineRules.NONE, null, e.nextChange());
    assertThat(later.evaluate(t).state()).isEqualTo(ComplianceState.Stale);
    assertThat(later.evaluate(t).reason()).contains("not seen since " + lastSeen).contains("1d");
  }

  @Test
  void aDeferredUpdateSchedulesTheNextChangeWhenItBecomesApproved() {
    ComplianceEvaluator ev =
        new ComplianceEvaluator(
            ApprovalRules.from(approval(List.of(rule("7d", null)), null, null)),
            DeadlineRules.NONE,
            null,
            NOW);
    TargetEvaluation e =
        ev.evaluate(seen("t", List.of(security("a=1", Severity.High, daysAgo(2)))));
    assertThat(e.state()).isEqualTo(ComplianceState.Compliant);
    assertThat(e.nextChange()).isEqualTo(daysAgo(2).plus(Duration.ofDays(7)));
  }

  @Test
  void theSummaryCountsStatesSeveritiesAndOverdueTargetsPerSeverity() throws IOException {
    ComplianceEvaluator ev = evaluator();
    List<TargetEvaluation> results =
        List.of(
            ev.evaluate(
                seen(
                    "a",
                    List.of(
                        security("x=1", Severity.Critical, daysAgo(30)),
                        security("y=1", Severity.Low, daysAgo(1))))),
            ev.evaluate(seen("b", List.of(security("y=1", Severity.Low, daysAgo(1))))),
            ev.evaluate(seen("c", List.of())),
            ev.evaluate(
                new TargetFacts(
                    "d", false, List.of(), false, null, Duration.ofDays(7), Set.of(), null)));
    ComplianceSummary s = ComplianceSummary.of(results, NOW);
    assertThat(s.targets()).isEqualTo(4);
    assertThat(s.count(ComplianceState.Overdue)).isEqualTo(1);
    assertThat(s.count(ComplianceState.Missing)).isEqualTo(1);
    assertThat(s.count(ComplianceState.Compliant)).isEqualTo(1);
    assertThat(s.count(ComplianceState.Stale)).isEqualTo(1);
    assertThat(s.missing()).isEqualTo(new SeverityTally(1, 0, 0, 2, 0, 0));
    assertThat(s.overdueBySeverity())
        .containsEntry("critical", 1)
        .containsEntry("low", 0)
        .containsEntry("knownExploited", 0);
    assertThat(s.oldestMissing())
        .containsEntry("critical", daysAgo(30))
        .containsEntry("low", daysAgo(1));
    assertThat(s.earliestDueBy()).isEqualTo(daysAgo(30).plus(Duration.ofDays(7)));
  }
}
