package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import java.time.Instant;

/**
 * An approved update a target has not installed.
 *
 * @param severity the severity deadlines and reports use (see {@link ApprovalDecision#severity()})
 * @param knownExploited whether it fixes a CVE in the known-exploited catalogue
 * @param dueBy when it must be installed by, or null when no deadline applies
 * @param approvedBy the rule or approve entry that approved it
 */
public record MissingUpdate(
    Update update, Severity severity, boolean knownExploited, Instant dueBy, String approvedBy) {

  public boolean overdueAt(Instant now) {
    return dueBy != null && !now.isBefore(dueBy);
  }
}
