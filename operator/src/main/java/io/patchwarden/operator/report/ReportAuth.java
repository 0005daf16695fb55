package io.patchwarden.operator.report;

/** How {@code /report} callers are checked ({@code PATCHWARDEN_REPORT_AUTH}). */
public enum ReportAuth {
  /** A Kubernetes bearer token; namespaces by RBAC on patchpolicies (the default). */
  Kubernetes,
  /** No check at all: for a laptop, never for a cluster. */
  None
}
