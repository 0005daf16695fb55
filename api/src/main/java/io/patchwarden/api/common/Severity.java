package io.patchwarden.api.common;

/**
 * Vendor severity of an update. {@code Unspecified} is its own level: a package source that does
 * not rate an update must not make it look harmless.
 */
public enum Severity {
  Unspecified,
  Low,
  Medium,
  High,
  Critical
}
