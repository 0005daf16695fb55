package io.patchwarden.operator.policy;

import static io.patchwarden.operator.policy.PolicyFixtures.NOW;
import static io.patchwarden.operator.policy.PolicyFixtures.approval;
import static io.patchwarden.operator.policy.PolicyFixtures.byCve;
import static io.patchwarden.operator.policy.PolicyFixtures.byId;
import static io.patchwarden.operator.policy.PolicyFixtures.byPackage;
import static io.patchwarden.operator.policy.PolicyFixtures.daysAgo;
import static io.patchwarden.operator.policy.PolicyFixtures.rule;
import static io.patchwarden.operator.policy.PolicyFixtures.security;
import static io.patchwarden.operator.policy.PolicyFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.operator.policy.ApprovalDecision.Refusal;
import io.patchwarden.operator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

  private static ApprovalRules rules(ApprovalRule... rules) {
    return ApprovalRules.from(approval(List.of(rules), null, null));
  }

  @Test
  void aRuleApprovesByClassificationSeverityAndDeferral() {
    ApprovalRules r = rules(rule("7d", Severity.High, Classification.Security));
    ApprovalDecision d = r.decide(security("openssl=3.0.15", Severity.Critical, daysAgo(8)), NOW);
    assertThat(d.approved()).isTrue();
    assertThat(d.approvedBy()).isEqualTo("spec.approval.rules[0]");
    assertThat(d.severity()).isEqualTo(Severity.Critical);
  }

  @Test
  void tooNewSaysWhenItWillBeApproved() {
    ApprovalRules r = rules(rule("7d", null));
    Instant released = daysAgo(2);
    ApprovalDecision d = r.decide(security("curl=8.5", Severity.High, released), NOW);
    assertThat(d.refusal()).isEqualTo(Refusal.TooNew);
    assertThat(d.approvableAt()).isEqualTo(released.plus(Duration.ofDays(7)));
    assertThat(d.detail()).contains("spec.approval.rules[0]").contains(d.approvableAt().toString());
  }

  @Test
  void eachRefusalNamesItsRule() {
    ApprovalRules r = rules(rule("0d", Severity.High, Classification.Security));
    assertThat(
            r.decide(
                update("vim=9", Severity.Critical, Classification.Enhancement, daysAgo(1)), NOW))
        .extracting(ApprovalDecision::refusal, ApprovalDecision::detail)
        .containsExactly(
            Refusal.ClassificationNotSelected, "spec.approval.rules[0] approves only [Security]");
    assertThat(r.decide(security("vim=9", Severity.Low, daysAgo(1)), NOW).refusal())
        .isEqualTo(Refusal.BelowMinSeverity);
  }

  @Test
  void unspecifiedSeverityIsTheLowestLevel() {
    ApprovalRules r = rules(rule("0d", Severity.Low));
    assertThat(r.decide(security("a=1", Severity.Unspecified, daysAgo(1)), NOW).refusal())
        .isEqualTo(Refusal.BelowMinSeverity);
    assertThat(rules(rule("0d", null)).decide(security("a=1", null, daysAgo(1)), NOW).approved())
        .isTrue();
  }

  @Test
  void approveUntilLimitsByReleaseDate() {
    ApprovalRule until = rule("0d", null);
    until.setApproveUntil("2026-11-01");
    ApprovalRules r = rules(until);
    assertThat(
            r.decide(security("a=1", Severity.High, Instant.parse("2026-11-01T23:00:00Z")), NOW)
                .approved())
        .isTrue();
    ApprovalDecision late =
        r.decide(security("a=2", Severity.High, Instant.parse("2026-11-02T00:00:00Z")), NOW);
    assertThat(late.refusal()).isEqualTo(Refusal.ReleasedAfterApproveUntil);
    assertThat(late.detail()).contains("2026-11-01");
  }

  @Test
  void withoutAReleaseDateDeferralCountsFromFirstSeen() {
    ApprovalRules r = rules(rule("2d", null));
    Update apt =
        new Update(
            "bash=5.2-1", "bash", "5.2-1", Classification.Security, null, null, null, daysAgo(3));
    assertThat(r.decide(apt, NOW).approved()).isTrue();
    Update unknown =
        new Update("bash=5.2-1", "bash", "5.2-1", Classification.Security, null, null, null, null);
    assertThat(r.decide(unknown, NOW).refusal()).isEqualTo(Refusal.ReleaseDateUnknown);
    assertThat(rules(rule("0d", null)).decide(unknown, NOW).approved()).isTrue();
  }

  @Test
  void complianceSeverityOverridesTheVendorsForTheApprovingRule() {
    ApprovalRule r = rule("0d", null, Classification.Kernel);
    r.setComplianceSeverity(Severity.Critical);
    ApprovalDecision d =
        rules(r)
            .decide(
                update(
                    "linux-image-amd64=6.1.99", Severity.Medium, Classification.Kernel, daysAgo(1)),
                NOW);
    assertThat(d.severity()).isEqualTo(Severity.Critical);
  }

  @Test
  void approvedBySeveralTheStrictestSeverityCounts() {
    ApprovalRule lenient = rule("0d", null);
    lenient.setComplianceSeverity(Severity.Low);
    ApprovalRule strict = rule("0d", null);
    strict.setComplianceSeverity(Severity.Critical);
    ApprovalDecision d =
        rules(lenient, strict).decide(security("a=1", Severity.High, daysAgo(1)), NOW);
    assertThat(d.approvedBy()).isEqualTo("spec.approval.rules[1]");
    assertThat(d.severity()).isEqualTo(Severity.Critical);
    // A lenient override cannot lower what the approve list (vendor severity) already says.
    ApprovalRules withList =
        ApprovalRules.from(approval(List.of(lenient), List.of(byPackage("a", null)), null));
    assertThat(withList.decide(security("a=1", Severity.High, daysAgo(1)), NOW).severity())
        .isEqualTo(Severity.High);
  }

  @Test
  void rejectWinsOverRulesAndApproveEntries() {
    ApprovalRules r =
        ApprovalRules.from(
            approval(
                List.of(rule("0d", null)),
                List.of(byPackage("linux-image-*", null)),
                List.of(byPackage("linux-image-*", null))));
    ApprovalDecision d =
        r.decide(security("linux-image-amd64=6.1.99", Severity.High, daysAgo(1)), NOW);
    assertThat(d.refusal()).isEqualTo(Refusal.Rejected);
    assertThat(d.detail()).isEqualTo("rejected by spec.approval.reject[0] (package linux-image-*)");
  }

  @Test
  void approveEntriesMatchDebianUpdatesByPackageVersionAndCve() {
    ApprovalRules r =
        ApprovalRules.from(
            approval(
                null,
                List.of(
                    byPackage("openssl", "3.0.15-1~deb12u1"),
                    byCve("cve-2024-6387"),
                    byId("KB5034441")),
                null));
    Update openssl =
        new Update(
            "openssl=3.0.15-1~deb12u1",
            "openssl",
            "3.0.15-1~deb12u1",
            Classification.Security,
            null,
            null,
            null,
            null);
    Update otherVersion =
        new Update(
            "openssl=3.0.14-1",
            "openssl",
            "3.0.14-1",
            Classification.Security,
            null,
            null,
            null,
            null);
    Update ssh =
        new Update(
            "openssh-server=1:9.2p1-2+deb12u3",
            "openssh-server",
            "1:9.2p1-2+deb12u3",
            Classification.Security,
            null,
            List.of("CVE-2024-6387"),
            null,
            null);
    Update kb =
        new Update(
            "KB5034441", null, null, Classification.Security, Severity.Critical, null, null, null);
    assertThat(r.decide(openssl, NOW).approvedBy())
        .isEqualTo("spec.approval.approve[0] (package openssl version 3.0.15-1~deb12u1)");
    assertThat(r.decide(otherVersion, NOW).refusal()).isEqualTo(Refusal.NoRule);
    assertThat(r.decide(ssh, NOW).approvedBy()).startsWith("spec.approval.approve[1]");
    assertThat(r.decide(kb, NOW).approvedBy()).startsWith("spec.approval.approve[2]");
  }

  @Test
  void globsMatchLikeAShell() {
    assertThat(UpdateMatcher.Glob.of("linux-*-amd64").matches("linux-image-amd64")).isTrue();
    assertThat(UpdateMatcher.Glob.of("linux-*-amd64").matches("linux-image-arm64")).isFalse();
    assertThat(UpdateMatcher.Glob.of("lib?ssl*").matches("libssl3")).isFalse();
    assertThat(UpdateMatcher.Glob.of("lib?sl*").matches("libssl3")).isTrue();
    assertThat(UpdateMatcher.Glob.of("a.b").matches("axb")).as("dots are literal").isFalse();
    assertThat(UpdateMatcher.Glob.of("*").matches("anything")).isTrue();
    assertThat(UpdateMatcher.Glob.of("openssl").matches("openssl-dev")).isFalse();
  }

  @Test
  void theFurthestRuleExplainsARefusal() {
    ApprovalRules r = rules(rule("0d", null, Classification.Driver), rule("0d", Severity.Critical));
    ApprovalDecision d = r.decide(security("a=1", Severity.High, daysAgo(1)), NOW);
    assertThat(d.refusal()).isEqualTo(Refusal.BelowMinSeverity);
    assertThat(d.detail()).contains("spec.approval.rules[1]");
  }

  @Test
  void warningsForRulesThatCannotApproveWhatIsExpected() {
    LocalDate today = LocalDate.of(2026, 11, 23);
    assertThat(ApprovalRules.from(null).warnings(today))
        .extracting(ApprovalRules.Warning::reason)
        .containsExactly(Reason.NothingApprovable);
    ApprovalRule expired = rule("0d", null);
    expired.setApproveUntil("2025-01-01");
    assertThat(rules(expired).warnings(today))
        .extracting(ApprovalRules.Warning::reason)
        .containsExactly(Reason.ApproveUntilPassed);
    ApprovalRule current = rule("0d", null);
    current.setApproveUntil("2027-01-01");
    assertThat(rules(expired, current).warnings(today)).isEmpty();
    assertThat(
            ApprovalRules.from(
                    approval(
                        null, List.of(byCve("CVE-2024-1086")), List.of(byCve("CVE-2024-1086"))))
                .warnings(today))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.reason()).isEqualTo(Reason.ApproveEntryRejected);
              assertThat(w.message())
                  .contains("spec.approval.approve[0]")
                  .contains("spec.approval.reject[0]");
            });
  }
}
