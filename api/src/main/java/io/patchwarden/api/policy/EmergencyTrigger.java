package io.patchwarden.api.policy;

/** What makes an update an emergency. */
public enum EmergencyTrigger {
  /** The update fixes a CVE listed in the known-exploited catalogue. */
  KnownExploited,
  Critical,
  High
}
