package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.policy.Approval;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.Deadlines;
import io.patchwarden.api.policy.PatchMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Small builders for the evaluation core's tests. */
final class PolicyFixtures {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private PolicyFixtures() {}

  static Update update(
      String id,
      Severity severity,
      Classification classification,
      Instant released,
      String... cves) {
    String pkg = id.contains("=") ? id.substring(0, id.indexOf('=')) : id;
    String version = id.contains("=") ? id.substring(id.indexOf('=') + 1) : null;
    return new Update(
        id, pkg, version, classification, severity, Arrays.asList(cves), released, null);
  }

  static Update security(String id, Severity severity, Instant released, String... cves) {
    return update(id, severity, Classification.Security, released, cves);
  }

  static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  static ApprovalRule rule(
      String approveAfter, Severity minSeverity, Classification... classifications) {
    ApprovalRule r = new ApprovalRule();
    r.setApproveAfter(approveAfter);
    r.setMinSeverity(minSeverity);
    r.setClassifications(classifications.length == 0 ? null : List.of(classifications));
    return r;
  }

  static Approval approval(
      List<ApprovalRule> rules, List<PatchMatcher> approve, List<PatchMatcher> reject) {
    Approval a = new Approval();
    a.setRules(rules);
    a.setApprove(approve);
    a.setReject(reject);
    return a;
  }

  static PatchMatcher byId(String id) {
    PatchMatcher m = new PatchMatcher();
    m.setId(id);
    return m;
  }

  static PatchMatcher byPackage(String glob, String version) {
    PatchMatcher m = new PatchMatcher();
    m.setPackageName(glob);
    m.setVersion(version);
    return m;
  }

  static PatchMatcher byCve(String cve) {
    PatchMatcher m = new PatchMatcher();
    m.setCve(cve);
    return m;
  }

  static Deadlines deadlines(String kev, String critical, String high, String medium, String low) {
    Deadlines d = new Deadlines();
    d.setKnownExploited(kev);
    d.setCritical(critical);
    d.setHigh(high);
    d.setMedium(medium);
    d.setLow(low);
    return d;
  }

  static TargetFacts seen(String name, List<Update> updates) {
    return new TargetFacts(
        name, true, updates, false, NOW.minusSeconds(60), Duration.ofDays(7), Set.of(), null);
  }
}
