package io.patchwarden.operator.node;

import io.patchwarden.api.node.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What {@link NodeMachine} decides for one node now. Pure values. */
public sealed interface Step {

  /**
   * Move to a new state: the shell writes it into the node's annotations (with the condition that
   * the node is still in the state this decision started from) before anything else happens.
   *
   * @param record annotations to set besides state and since
   * @param unschedulable true to cordon, false to uncordon, null to leave spec.unschedulable alone
   * @param failure why, for Failed and Skipped; else null
   * @param phase the phase that ended (drain, patch, reboot, verify), or null
   * @param phaseTook how long that phase took
   */
  record Transition(
      NodeState to,
      Map<String, String> record,
      Boolean unschedulable,
      NodeFailure failure,
      String message,
      String phase,
      Duration phaseTook)
      implements Step {
    public Transition {
      record = Map.copyOf(record);
    }
  }

  /** Evict the node's evictable pods, then decide again with what is left. */
  record Evict() implements Step {}

  /** Delete the remaining pods without the Eviction API (drain onTimeout Force). */
  record ForceDelete() implements Step {}

  /** Create the node's Job of this kind for the run (unless it exists), then wait for it. */
  record CreateJob(JobKind kind) implements Step {}

  /** Nothing to do until something changes, or until this instant (a timeout) at the latest. */
  record Wait(Instant until) implements Step {}

  /** The node is finished with its run. */
  record Finished() implements Step {}

  /** The two Jobs of a node's run. */
  enum JobKind {
    Patch,
    Reboot;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
