package io.patchwarden.api.run;

/** What kind of target. */
public enum TargetKind {
  Node,
  Endpoint
}
