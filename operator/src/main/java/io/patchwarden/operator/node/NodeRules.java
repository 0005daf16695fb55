package io.patchwarden.operator.node;

import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.policy.Drain;
import io.patchwarden.api.policy.DrainTimeoutAction;
import io.patchwarden.api.policy.NodeFailureAction;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.operator.policy.NodeCompliance;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;

/**
 * How the nodes of one run are patched, from the run's {@code spec.nodes} with the documented
 * defaults applied. Pure value.
 *
 * @param target what a patched node reports, or null: verified by readiness alone
 * @param patchedWith the marker a node gets once patched (its patchwarden.io/patched-with)
 */
public record NodeRules(
    boolean drain,
    Duration drainTimeout,
    DrainTimeoutAction onDrainTimeout,
    RebootPolicy reboot,
    NodeFailureAction onFailure,
    Duration patchTimeout,
    Duration readyTimeout,
    NodeCompliance target,
    String patchedWith) {

  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(10);
  static final Duration DEFAULT_PATCH_TIMEOUT = Duration.ofMinutes(30);
  static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(15);

  /**
   * A Job that outlives its activeDeadlineSeconds is failed by the Job controller; this much later
   * Patchwarden stops waiting for it (a cluster without a working Job controller).
   */
  static final Duration JOB_GRACE = Duration.ofMinutes(2);

  /**
   * @param nodes a run's spec.nodes with its patch set (invalid durations were rejected before a
   *     run could start; here they fall back to the defaults)
   */
  public static NodeRules from(NodePatching nodes, String patchedWith) {
    Drain drain = nodes.getDrain();
    return new NodeRules(
        drain == null || drain.getEnabled() == null || drain.getEnabled(),
        duration(drain == null ? null : drain.getTimeout(), DEFAULT_DRAIN_TIMEOUT),
        drain == null || drain.getOnTimeout() == null
            ? DrainTimeoutAction.Fail
            : drain.getOnTimeout(),
        nodes.getReboot() == null ? RebootPolicy.IfRequired : nodes.getReboot(),
        nodes.getOnFailure() == null ? NodeFailureAction.StayCordoned : nodes.getOnFailure(),
        duration(
            nodes.getPatch() == null ? null : nodes.getPatch().getTimeout(), DEFAULT_PATCH_TIMEOUT),
        duration(nodes.getReadyTimeout(), DEFAULT_READY_TIMEOUT),
        NodeCompliance.from(nodes.getTarget()),
        patchedWith);
  }

  private static Duration duration(String value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(value);
      return d.isZero() ? fallback : d;
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }
}
