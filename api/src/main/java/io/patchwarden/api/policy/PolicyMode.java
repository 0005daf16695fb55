package io.patchwarden.api.policy;

/** Whether a policy only reports or also changes targets. */
public enum PolicyMode {
  /** Evaluate approval and compliance and preview rollouts; change nothing. */
  Audit,
  /** Also roll approved updates out to targets. */
  Enforce
}
