package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether one update is approved under a policy, and by what — or why not. Pure value.
 *
 * @param approvedBy the field that approved it, e.g. {@code spec.approval.rules[0]}; null if not
 * @param severity the severity used for deadlines and reports: the approving rule's
 *     complianceSeverity, else the vendor's
 * @param refusal why it is not approved; null when approved
 * @param explanation builds the human-readable reason naming the rule or entry involved; built only
 *     when asked for, since the evaluation decides millions of updates and explains few
 * @param approvableAt for {@link Refusal#TooNew}: when a rule will approve it; else null
 * @param approvingSeverities the severity each approving rule or entry gives it (empty when not
 *     approved); deadlines use whichever of them is due first
 */
public record ApprovalDecision(
    String approvedBy,
    Severity severity,
    Refusal refusal,
    Supplier<String> explanation,
    Instant approvableAt,
    Set<Severity> approvingSeverities) {

  public ApprovalDecision {
    approvingSeverities =
        approvingSeverities == null || approvingSeverities.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(approvingSeverities));
  }

  /** Why an update is not approved. */
  public enum Refusal {
    /** A reject entry matches it; nothing overrides a reject. */
    Rejected,
    /** A rule would approve it once its approveAfter deferral has passed. */
    TooNew,
    /** Released after every approving rule's approveUntil. */
    ReleasedAfterApproveUntil,
    /** Below every matching rule's minSeverity. */
    BelowMinSeverity,
    /** Its classification is in no rule's classifications. */
    ClassificationNotSelected,
    /** A rule needs its release date (deferral, approveUntil) and none is known. */
    ReleaseDateUnknown,
    /** The policy has no rule and no approve entry that could approve it. */
    NoRule
  }

  public static ApprovalDecision approved(String by, Severity severity, Set<Severity> all) {
    return new ApprovalDecision(by, severity, null, () -> "approved by " + by, null, all);
  }

  public static ApprovalDecision refused(
      Refusal refusal, Severity severity, Supplier<String> explanation, Instant approvableAt) {
    return new ApprovalDecision(null, severity, refusal, explanation, approvableAt, Set.of());
  }

  /** Why it is (not) approved, e.g. "rejected by spec.approval.reject[0] (package openssl)". */
  public String detail() {
    return explanation.get();
  }

  public boolean approved() {
    return refusal == null;
  }
}
