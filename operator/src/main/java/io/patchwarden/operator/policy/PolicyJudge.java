package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.operator.node.NodePatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one policy judges one target at one instant, for readers outside the controller (the
 * compliance report): the same evaluation core, rules and catalogue as a policy pass.
 */
public final class PolicyJudge {
  private final ComplianceEvaluator evaluator;
  private final NodeCompliance nodeRules;
  private final Instant now;

  private PolicyJudge(ComplianceEvaluator evaluator, NodeCompliance nodeRules, Instant now) {
    this.evaluator = evaluator;
    this.nodeRules = nodeRules;
    this.now = now;
  }

  /**
   * @param configMaps a ConfigMap of the policy's namespace by name (for the known-exploited
   *     catalogue); an unreadable catalogue counts as empty, as in a pass
   */
  public static PolicyJudge of(
      PatchPolicy policy, Function<String, Optional<ConfigMap>> configMaps, Instant now) {
    PatchPolicySpec spec = policy.getSpec();
    KnownExploitedCatalog catalogue = KnownExploitedCatalog.EMPTY;
    if (spec.getKnownExploitedCatalog() != null) {
      catalogue =
          new KnownExploitedCatalogs().load(spec.getKnownExploitedCatalog(), configMaps).catalog();
    }
    ComplianceEvaluator evaluator =
        new ComplianceEvaluator(
            ApprovalRules.from(spec.getApproval()),
            DeadlineRules.from(spec.getDeadlines()),
            catalogue,
            now);
    NodeCompliance nodeRules =
        NodeCompliance.from(
            spec.getNodes(),
            spec.getNodes() == null || spec.getNodes().getPatch() == null
                ? null
                : NodePatcher.marker(NodePatcher.policyId(policy), spec.getNodes().getPatch()));
    return new PolicyJudge(evaluator, nodeRules, now);
  }

  public TargetEvaluation endpoint(ManagedEndpoint endpoint, Duration staleAfter) {
    return evaluator.evaluate(Targets.withStaleAfter(Targets.convert(endpoint), staleAfter));
  }

  public TargetEvaluation node(Node node, Duration staleAfter) {
    return NodeCompliance.evaluate(nodeRules, Targets.node(node, staleAfter), now);
  }
}
