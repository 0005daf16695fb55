package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.policy.Approval;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.PatchMatcher;
import io.patchwarden.operator.policy.ApprovalDecision.Refusal;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A policy's approval section, compiled once per evaluation pass: an update is approved when any
 * rule or {@code approve} entry approves it and no {@code reject} entry matches it (SSM Patch
 * Manager's semantics, with package globs, versions and CVE ids so that Debian updates can be
 * approved too). Pure.
 */
public record ApprovalRules(
    List<Rule> rules, List<UpdateMatcher> approve, List<UpdateMatcher> reject) {

  public ApprovalRules {
    rules = List.copyOf(rules);
    approve = List.copyOf(approve);
    reject = List.copyOf(reject);
  }

  /**
   * One approval rule.
   *
   * @param classifications approved classifications; empty means all
   * @param minSeverity the lowest approved vendor severity; null means all
   * @param approveAfter deferral from the release date (zero: none)
   * @param approveUntil approve only updates released on or before this date; null: no limit
   * @param complianceSeverity overrides the vendor severity for deadlines and reports; null: keep
   */
  public record Rule(
      String field,
      Set<Classification> classifications,
      Severity minSeverity,
      Duration approveAfter,
      LocalDate approveUntil,
      Severity complianceSeverity) {

    public Rule {
      classifications =
          classifications == null || classifications.isEmpty()
              ? Set.of()
              : Set.copyOf(EnumSet.copyOf(classifications));
      approveAfter = approveAfter == null ? Duration.ZERO : approveAfter;
    }

    /** How far an update gets through this rule's checks; the furthest rule explains a refusal. */
    Check check(Update update, Instant now) {
      if (!classifications.isEmpty() && !classifications.contains(update.classification())) {
        return new Check(
            0,
            Refusal.ClassificationNotSelected,
            () -> field + " approves only " + classificationList(),
            null);
      }
      if (minSeverity != null && update.severity().compareTo(minSeverity) < 0) {
        return new Check(
            1,
            Refusal.BelowMinSeverity,
            () ->
                "severity "
                    + update.severity()
                    + " is below "
                    + field
                    + ".minSeverity "
                    + minSeverity,
            null);
      }
      Optional<Instant> from = update.countedFrom();
      boolean needsDate = approveUntil != null || !approveAfter.isZero();
      if (needsDate && from.isEmpty()) {
        return new Check(
            2,
            Refusal.ReleaseDateUnknown,
            () -> field + " needs a release date and none is known",
            null);
      }
      if (approveUntil != null
          && LocalDate.ofInstant(from.get(), ZoneOffset.UTC).isAfter(approveUntil)) {
        return new Check(
            3,
            Refusal.ReleasedAfterApproveUntil,
            () -> "released after " + field + ".approveUntil " + approveUntil,
            null);
      }
      if (!approveAfter.isZero()) {
        Instant approvable = from.get().plus(approveAfter);
        if (now.isBefore(approvable)) {
          return new Check(
              4,
              Refusal.TooNew,
              () -> "too new: " + field + " approves it from " + approvable,
              approvable);
        }
      }
      return Check.PASSED;
    }

    private String classificationList() {
      return classifications.stream().map(Enum::name).sorted().toList().toString();
    }

    Severity effectiveSeverity(Update update) {
      return complianceSeverity == null ? update.severity() : complianceSeverity;
    }
  }

  /** A rule's verdict: how many checks passed, and the first failing one. */
  record Check(int passed, Refusal refusal, Supplier<String> detail, Instant approvableAt) {
    static final Check PASSED = new Check(5, null, null, null);
  }

  public static ApprovalRules from(Approval approval) {
    if (approval == null) {
      return new ApprovalRules(List.of(), List.of(), List.of());
    }
    List<Rule> rules = new ArrayList<>();
    List<ApprovalRule> specRules = approval.getRules() == null ? List.of() : approval.getRules();
    for (int i = 0; i < specRules.size(); i++) {
      ApprovalRule r = specRules.get(i);
      rules.add(
          new Rule(
              "spec.approval.rules[" + i + "]",
              r.getClassifications() == null ? Set.of() : Set.copyOf(r.getClassifications()),
              r.getMinSeverity(),
              r.getApproveAfter() == null ? Duration.ZERO : Durations.parse(r.getApproveAfter()),
              r.getApproveUntil() == null ? null : LocalDate.parse(r.getApproveUntil()),
              r.getComplianceSeverity()));
    }
    return new ApprovalRules(
        rules,
        matchers("spec.approval.approve", approval.getApprove()),
        matchers("spec.approval.reject", approval.getReject()));
  }

  private static List<UpdateMatcher> matchers(String field, List<PatchMatcher> entries) {
    List<UpdateMatcher> matchers = new ArrayList<>();
    if (entries != null) {
      for (int i = 0; i < entries.size(); i++) {
        matchers.add(UpdateMatcher.from(field + "[" + i + "]", entries.get(i)));
      }
    }
    return matchers;
  }

  /** Whether nothing at all could ever be approved: no rule and no approve entry. */
  public boolean approvesNothing() {
    return rules.isEmpty() && approve.isEmpty();
  }

  /** Something in the approval section that probably does not do what its author meant. */
  public record Warning(Reason reason, String message) {}

  /**
   * Rules that cannot approve what the user probably expects; they are valid, so they are warnings
   * (a condition), not errors. Empty when the section is effective.
   */
  public List<Warning> warnings(LocalDate today) {
    List<Warning> warnings = new ArrayList<>();
    if (approvesNothing()) {
      warnings.add(
          new Warning(
              Reason.NothingApprovable,
              "spec.approval has no rules and no approve entries: no update will ever be"
                  + " approved"));
    } else if (approve.isEmpty()
        && rules.stream()
            .allMatch(r -> r.approveUntil() != null && r.approveUntil().isBefore(today))) {
      warnings.add(
          new Warning(
              Reason.ApproveUntilPassed,
              "every rule's approveUntil is in the past (e.g. "
                  + rules.get(0).field()
                  + ".approveUntil "
                  + rules.get(0).approveUntil()
                  + ") and there are no approve entries: updates released from now on will never"
                  + " be approved"));
    }
    for (UpdateMatcher a : approve) {
      for (UpdateMatcher r : reject) {
        if (a.kind() == r.kind()
            && a.value().equals(r.value())
            && (r.version() == null || r.version().equals(a.version()))) {
          warnings.add(
              new Warning(
                  Reason.ApproveEntryRejected,
                  a.field() + " is also rejected by " + r.field() + ", and reject wins"));
        }
      }
    }
    return warnings;
  }

  public ApprovalDecision decide(Update update, Instant now) {
    for (UpdateMatcher r : reject) {
      if (r.matches(update)) {
        return ApprovalDecision.refused(
            Refusal.Rejected, update.severity(), () -> "rejected by " + r.describe(), null);
      }
    }
    Check furthest = null;
    Check tooNew = null;
    String by = null;
    Severity severity = null;
    Set<Severity> all = EnumSet.noneOf(Severity.class);
    for (Rule rule : rules) {
      Check check = rule.check(update, now);
      if (check.refusal() == null) {
        // Approved by several: each gives a severity, the highest is reported, and the deadline
        // is the earliest any of them implies (ComplianceEvaluator) — so a rule that starts
        // approving later (its deferral ended) can only make a deadline earlier.
        Severity s = rule.effectiveSeverity(update);
        all.add(s);
        if (severity == null || s.compareTo(severity) > 0) {
          severity = s;
          by = rule.field();
        }
        continue;
      }
      if (check.refusal() == Refusal.TooNew
          && (tooNew == null || check.approvableAt().isBefore(tooNew.approvableAt()))) {
        tooNew = check;
      }
      if (furthest == null || check.passed() > furthest.passed()) {
        furthest = check;
      }
    }
    for (UpdateMatcher a : approve) {
      if (a.matches(update)) {
        all.add(update.severity());
        if (severity == null || update.severity().compareTo(severity) > 0) {
          severity = update.severity();
          by = a.describe();
        }
        break;
      }
    }
    if (by != null) {
      return ApprovalDecision.approved(by, severity, all);
    }
    // A rule that will approve it later says the most: when it will happen.
    Check reason = tooNew != null ? tooNew : furthest;
    if (reason == null) {
      return ApprovalDecision.refused(
          Refusal.NoRule,
          update.severity(),
          () -> "no approval rule or approve entry matches",
          null);
    }
    return ApprovalDecision.refused(
        reason.refusal(), update.severity(), reason.detail(), reason.approvableAt());
  }
}
