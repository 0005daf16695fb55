package io.patchwarden.api.policy;

/** Whether a run starts by itself or waits for a person to approve it. */
public enum ApprovalMode {
  Automatic,
  Manual
}
