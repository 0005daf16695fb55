package io.patchwarden.api.common;

/** What kind of change an update is, as the package source classifies it. */
public enum Classification {
  Security,
  Bugfix,
  Enhancement,
  Kernel,
  Driver,
  FeatureUpdate,
  Other
}
