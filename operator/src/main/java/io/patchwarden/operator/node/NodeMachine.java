package io.patchwarden.operator.node;

import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.NodeFailureAction;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-node state machine: {@code Selected → Cordoned → Drained → Patching → (Rebooting) →
 * Verifying → Done | Failed | Skipped}. Pure: from the node's record (its annotations), what the
 * node, its pods and its Jobs say now and the instant, it decides the one next step. The shell
 * writes each transition into the node's annotations before acting on it, so every decision can be
 * repeated after a crash: cordoning twice, evicting again or looking up the run's Job before
 * creating it changes nothing.
 *
 * <p>Timeouts count from the instant the node entered its state ({@code patchwarden.io/since}), so
 * they survive restarts too.
 */
public final class NodeMachine {
  private NodeMachine() {}

  /** Phases, as the duration annotation and the duration metric name them. */
  public static final String DRAIN = "drain";

  public static final String PATCH = "patch";
  public static final String REBOOT = "reboot";
  public static final String VERIFY = "verify";

  /** Evictions refused by a PodDisruptionBudget are retried this often. */
  static final Duration EVICTION_RETRY = Duration.ofSeconds(5);

  /** Evicted pods still terminating are looked at again this soon. */
  static final Duration TERMINATION_CHECK = Duration.ofSeconds(1);

  /**
   * @param drain what is left after this pass's evictions; null before evicting
   * @param job the Job of the node's current state (patch or reboot); MISSING when not needed
   */
  public static Step next(
      NodeRules rules, NodeRecord node, NodeView now, DrainView drain, JobView job, Instant at) {
    return switch (node.state()) {
      case Selected -> cordon(node, now, at);
      case Cordoned -> drain(rules, node, drain, at);
      case Drained -> move(node, NodeState.Patching, Map.of(), null, at);
      case Patching -> patching(rules, node, now, job, at);
      case Rebooting -> rebooting(rules, node, now, job, at);
      case Verifying -> verifying(rules, node, now, at);
      case Done, Failed, Skipped -> new Step.Finished();
    };
  }

  private static Step cordon(NodeRecord node, NodeView now, Instant at) {
    Map<String, String> record = new HashMap<>();
    // Read before cordoning: a node an admin cordoned is never uncordoned by Patchwarden. A cordon
    // a failed run of Patchwarden's left behind is its own, though.
    boolean adminCordoned = now.unschedulable() && !node.cordonInherited();
    record.put(NodeAnnotations.WAS_UNSCHEDULABLE, Boolean.toString(adminCordoned));
    putIfSet(record, NodeAnnotations.KERNEL_BEFORE, now.facts().kernelVersion());
    putIfSet(record, NodeAnnotations.OS_IMAGE_BEFORE, now.facts().osImage());
    return new Step.Transition(NodeState.Cordoned, record, true, null, null, null, null);
  }

  private static Step drain(NodeRules rules, NodeRecord node, DrainView drain, Instant at) {
    if (!rules.drain()) {
      return move(node, NodeState.Drained, Map.of(), DRAIN, at);
    }
    if (drain == null) {
      return new Step.Evict();
    }
    if (drain.remaining() == 0) {
      return move(node, NodeState.Drained, Map.of(), DRAIN, at);
    }
    Instant deadline = node.since().plus(rules.drainTimeout());
    if (at.isBefore(deadline)) {
      Instant retry = at.plus(drain.refused() > 0 ? EVICTION_RETRY : TERMINATION_CHECK);
      return new Step.Wait(retry.isBefore(deadline) ? retry : deadline);
    }
    String message =
        "the drain did not finish within "
            + Durations.format(rules.drainTimeout())
            + "; "
            + drain.remaining()
            + " pods left, e.g. "
            + String.join(", ", drain.examples());
    return switch (rules.onDrainTimeout()) {
      case Fail -> fail(rules, node, NodeFailure.DrainTimeout, message, DRAIN, at);
      case Skip ->
          new Step.Transition(
              NodeState.Skipped,
              Map.of(),
              uncordon(node),
              NodeFailure.DrainTimeout,
              message + "; skipped (onTimeout: Skip)",
              DRAIN,
              took(node, at));
      case Force -> new Step.ForceDelete();
    };
  }

  private static Step patching(
      NodeRules rules, NodeRecord node, NodeView now, JobView job, Instant at) {
    Instant deadline = node.since().plus(rules.patchTimeout()).plus(NodeRules.JOB_GRACE);
    switch (job.phase()) {
      case Missing, Running -> {
        if (!at.isBefore(deadline)) {
          return fail(
              rules,
              node,
              NodeFailure.PatchTimeout,
              "the patch Job did not finish within " + Durations.format(rules.patchTimeout()),
              PATCH,
              at);
        }
        return job.phase() == JobView.Phase.Missing
            ? new Step.CreateJob(Step.JobKind.Patch)
            : new Step.Wait(deadline);
      }
      case Failed -> {
        return fail(
            rules,
            node,
            NodeFailure.PatchFailed,
            job.message() == null
                ? "the patch Job failed"
                : "the patch Job failed: " + job.message(),
            PATCH,
            at);
      }
      default -> {
        Map<String, String> record = new HashMap<>();
        if (job.rebootRequested()) {
          record.put(NodeAnnotations.REBOOT_REQUESTED, "true");
        }
        if (rules.reboot() == RebootPolicy.Never) {
          return move(node, NodeState.Verifying, record, PATCH, at);
        }
        // Recorded before the reboot Job exists: the reboot is over when the bootID changed.
        putIfSet(record, NodeAnnotations.BOOT_ID_BEFORE, now.bootId());
        return move(node, NodeState.Rebooting, record, PATCH, at);
      }
    }
  }

  private static Step rebooting(
      NodeRules rules, NodeRecord node, NodeView now, JobView job, Instant at) {
    boolean rebooted = now.bootId() != null && !now.bootId().equals(node.bootIdBefore());
    if (rebooted && now.ready()) {
      return move(node, NodeState.Verifying, Map.of(), REBOOT, at);
    }
    Instant deadline = node.since().plus(rules.readyTimeout());
    if (!rebooted) {
      switch (job.phase()) {
        case Succeeded -> {
          // The reboot Job exits successfully only when the host needs no reboot.
          return move(node, NodeState.Verifying, Map.of(), REBOOT, at);
        }
        case Failed -> {
          // Not yet a failure: with graceful node shutdown the pod is reported Failed while the
          // host goes down for the very reboot it asked for. The new bootID decides, until then.
          if (!at.isBefore(deadline)) {
            return fail(
                rules,
                node,
                NodeFailure.RebootFailed,
                job.message() == null
                    ? "the reboot Job failed and the node did not reboot"
                    : "the reboot Job failed and the node did not reboot: " + job.message(),
                REBOOT,
                at);
          }
          return new Step.Wait(deadline);
        }
        case Missing -> {
          if (at.isBefore(deadline)) {
            return new Step.CreateJob(Step.JobKind.Reboot);
          }
        }
        default -> {}
      }
    }
    if (!at.isBefore(deadline)) {
      return fail(
          rules,
          node,
          NodeFailure.RebootTimeout,
          rebooted
              ? "the node rebooted but was not Ready within "
                  + Durations.format(rules.readyTimeout())
              : "the node did not reboot within " + Durations.format(rules.readyTimeout()),
          REBOOT,
          at);
    }
    return new Step.Wait(deadline);
  }

  private static Step verifying(NodeRules rules, NodeRecord node, NodeView now, Instant at) {
    if (!now.ready()) {
      Instant deadline = node.since().plus(rules.readyTimeout());
      if (at.isBefore(deadline)) {
        return new Step.Wait(deadline);
      }
      return fail(
          rules,
          node,
          NodeFailure.NotReady,
          "the node was not Ready within " + Durations.format(rules.readyTimeout()),
          VERIFY,
          at);
    }
    if (rules.target() != null) {
      List<String> behind = rules.target().behind(now.facts());
      if (!behind.isEmpty()) {
        return fail(rules, node, NodeFailure.TargetNotMet, String.join("; ", behind), VERIFY, at);
      }
    }
    Map<String, String> record = new HashMap<>();
    putIfSet(record, NodeAnnotations.KERNEL_AFTER, now.facts().kernelVersion());
    putIfSet(record, NodeAnnotations.OS_IMAGE_AFTER, now.facts().osImage());
    putIfSet(record, NodeAnnotations.PATCHED_WITH, rules.patchedWith());
    return new Step.Transition(
        NodeState.Done, record, uncordon(node), null, null, VERIFY, took(node, at));
  }

  private static Step.Transition move(
      NodeRecord node, NodeState to, Map<String, String> record, String phase, Instant at) {
    return new Step.Transition(
        to, record, null, null, null, phase, phase == null ? null : took(node, at));
  }

  /** Failed: the node stays cordoned (safer) unless spec.nodes.onFailure is Uncordon. */
  private static Step.Transition fail(
      NodeRules rules,
      NodeRecord node,
      NodeFailure failure,
      String message,
      String phase,
      Instant at) {
    Boolean unschedulable = rules.onFailure() == NodeFailureAction.Uncordon ? uncordon(node) : null;
    return new Step.Transition(
        NodeState.Failed, Map.of(), unschedulable, failure, message, phase, took(node, at));
  }

  /** Uncordons, unless the node was unschedulable before Patchwarden cordoned it. */
  private static Boolean uncordon(NodeRecord node) {
    return node.wasUnschedulable() ? null : Boolean.FALSE;
  }

  private static Duration took(NodeRecord node, Instant at) {
    Duration d = Duration.between(node.since(), at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static void putIfSet(Map<String, String> record, String key, String value) {
    if (value != null && !value.isEmpty()) {
      record.put(key, value);
    }
  }

  /** Whether a node in this state counts against maxConcurrent (it is or may be cordoned). */
  public static boolean inFlight(NodeState state) {
    return !state.finished();
  }
}
