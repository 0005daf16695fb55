package io.patchwarden.api.node;

/**
 * Where a node stands in its patch run, kept in the node's {@code patchwarden.io/state} annotation.
 * Written before the step it names is acted on, so a restarted operator resumes from it.
 */
public enum NodeState {
  /** Admitted by the rollout; nothing done to the node yet. */
  Selected,
  /** Unschedulable; pods are being evicted. */
  Cordoned,
  /** Every evictable pod is gone. */
  Drained,
  /** The patch Job runs on the node. */
  Patching,
  /** A reboot Job runs; the node comes back with a new bootID. */
  Rebooting,
  /** Waiting for the node to be Ready and to report the target. */
  Verifying,
  /** Patched, verified and uncordoned (unless an admin had cordoned it). */
  Done,
  /** Failed with a reason; stays cordoned unless spec.nodes.onFailure is Uncordon. */
  Failed,
  /** Drain timed out with onTimeout Skip: left unpatched this run, uncordoned. */
  Skipped;

  /** Whether the node is finished with its run. */
  public boolean finished() {
    return this == Done || this == Failed || this == Skipped;
  }
}
