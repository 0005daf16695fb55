package io.patchwarden.operator.status;

/** Condition types written by Patchwarden. Ready is always present (kstatus). */
public enum ConditionType {
  /** The object is valid and its status is current. */
  Ready,
  /** Work is in progress toward the desired state (kstatus, abnormal-true). */
  Reconciling,
  /** No progress is possible until the user changes something (kstatus, abnormal-true). */
  Stalled,
  /** A target has not been seen within its group's staleAfter: unknown, never compliant. */
  Stale,
  /** Every target of a PatchPolicy is compliant. */
  Compliant,
  /** The PatchPolicy's known-exploited catalogue could be read (only when one is referenced). */
  KnownExploitedCatalogValid,
  /** Warning: False when the approval section cannot approve what the user probably expects. */
  ApprovalRulesEffective,
  /** PatchRun: True once every target succeeded or was skipped. */
  Succeeded,
  /** PatchRun: True while haltOnFailures stops the run. */
  Halted,
  /** PatchRun: True while a Manual-approval run waits for its name in approvedRuns. */
  WaitingForApproval,
  /** PatchRun: True while no window is open for the current wave's pending targets. */
  WaitingForWindow
}
