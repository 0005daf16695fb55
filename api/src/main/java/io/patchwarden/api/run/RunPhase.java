package io.patchwarden.api.run;

/** Where a run stands. */
public enum RunPhase {
  Pending,
  WaitingForApproval,
  WaitingForWindow,
  Running,
  Halted,
  Succeeded,
  Failed,
  Cancelled,
  /** A preview of an Audit-mode policy: what would be assigned, nothing assigned. */
  DryRun
}
