package io.patchwarden.operator.node;

import io.patchwarden.operator.rollout.EventReason;

/** Reasons of the Kubernetes Events Patchwarden records on a Node (and its policy) it patches. */
public enum NodeEvent implements EventReason {
  NodeCordoned(false),
  NodeDrained(false),
  NodeDrainTimeout(true),
  PatchJobCreated(false),
  NodeRebooting(false),
  NodePatched(false),
  NodePatchFailed(true),
  NodeSkipped(true),
  NodeReleased(false);

  private final boolean warning;

  NodeEvent(boolean warning) {
    this.warning = warning;
  }

  @Override
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
