package io.patchwarden.api.policy;

/** What to do with a node whose patching failed. */
public enum NodeFailureAction {
  StayCordoned,
  Uncordon
}
