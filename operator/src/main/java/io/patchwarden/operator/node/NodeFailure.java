package io.patchwarden.operator.node;

/** Why a node failed (or was skipped); the node's patchwarden.io/reason. */
public enum NodeFailure {
  /** The drain did not finish within spec.nodes.drain.timeout. */
  DrainTimeout,
  /** The patch Job failed. */
  PatchFailed,
  /** The patch Job ran longer than spec.nodes.patch.timeout. */
  PatchTimeout,
  /** The reboot Job failed. */
  RebootFailed,
  /** The node did not come back with a new bootID and Ready within spec.nodes.readyTimeout. */
  RebootTimeout,
  /** The node was not Ready within spec.nodes.readyTimeout after patching. */
  NotReady,
  /** The node is Ready but does not report spec.nodes.target. */
  TargetNotMet
}
