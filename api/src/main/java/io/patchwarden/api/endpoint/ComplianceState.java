package io.patchwarden.api.endpoint;

/** Compliance of one target against one policy. */
public enum ComplianceState {
  Compliant,
  Missing,
  PendingReboot,
  Failed,
  Overdue,
  Stale,
  NotApplicable
}
