package io.patchwarden.api.endpoint;

/** What happened to one assigned update. */
public enum UpdateResult {
  Installed,
  Failed,
  PendingReboot
}
