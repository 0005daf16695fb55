package io.patchwarden.operator.rollout;

import io.fabric8.kubernetes.api.model.Node;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.node.NodeRecord;
import io.patchwarden.operator.window.Interval;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node side of a rollout: a policy's Nodes become planner targets like endpoints — same waves,
 * windows, maxConcurrent and halt rules — with their progress read from the node's record
 * (patchwarden.io/* annotations) instead of an assignment.
 */
final class NodeRollout {
  private NodeRollout() {}

  /** Nodes take part in runs only when the policy says how to patch them. */
  static boolean patchesNodes(PatchPolicySpec spec) {
    return spec.getNodes() != null && spec.getNodes().getPatch() != null;
  }

  /** Whether a node needs patching: behind the target (or not patched with the current spec). */
  static boolean behind(Rollouts.NodeTarget t) {
    return t.evaluation().state() == ComplianceState.Missing;
  }

  /**
   * Nodes that start a new run: behind, except those the last finished run already tried and left
   * Failed or Skipped — they alone would start run after run; they ride along with the next one.
   */
  static int startingARun(List<Rollouts.NodeTarget> nodes, String policyId, String lastFinished) {
    int n = 0;
    for (Rollouts.NodeTarget t : nodes) {
      if (!behind(t)) {
        continue;
      }
      NodeRecord r = NodePatcher.record(t.node());
      if (r != null && !r.state().finished()) {
        continue; // in flight (here or elsewhere): a new run could not admit it anyway
      }
      boolean triedLastRun =
          r != null
              && lastFinished != null
              && r.of(policyId, lastFinished)
              && (r.state() == NodeState.Failed || r.state() == NodeState.Skipped);
      if (!triedLastRun) {
        n++;
      }
    }
    return n;
  }

  /** A node of the policy that another policy is patching right now. */
  static boolean busyWithAnotherPolicy(Node node, String policyId) {
    NodeRecord r = NodePatcher.record(node);
    return r != null && !r.state().finished() && !r.policy().equals(policyId);
  }

  /**
   * A node this policy's earlier run (cancelled, or finished without it) is still patching: it
   * holds a slot of maxConcurrent in the current run until it is done.
   */
  static boolean inFlightForEarlierRun(Node node, String policyId, String run) {
    NodeRecord r = NodePatcher.record(node);
    return r != null
        && !r.state().finished()
        && r.policy().equals(policyId)
        && !r.run().equals(run);
  }

  static Progress progress(Node node, String policyId, String run) {
    NodeRecord r = NodePatcher.record(node);
    if (r == null || !r.of(policyId, run)) {
      return Progress.None;
    }
    return switch (r.state()) {
      case Done -> Progress.Succeeded;
      case Failed -> Progress.Failed;
      case Skipped -> Progress.Skipped;
      default -> Progress.Assigned;
    };
  }

  static RolloutTarget target(
      Rollouts.NodeTarget t,
      Progress progress,
      Set<String> groups,
      Interval window,
      String policyId,
      String run) {
    Node node = t.node();
    NodeRecord r = NodePatcher.record(node);
    boolean failed = r != null && r.of(policyId, run) && r.state() == NodeState.Failed;
    Map<String, String> a = node.getMetadata().getAnnotations();
    return new RolloutTarget(
        node.getMetadata().getUid(),
        node.getMetadata().getName(),
        groups,
        progress,
        behind(t),
        false,
        t.evaluation().state() == ComplianceState.Stale,
        window,
        false,
        failed ? a.get(io.patchwarden.api.node.NodeAnnotations.MESSAGE) : null,
        TargetKind.Node,
        failed ? a.get(io.patchwarden.api.node.NodeAnnotations.REASON) : null);
  }
}
