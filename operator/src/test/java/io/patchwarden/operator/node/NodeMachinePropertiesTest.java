package io.patchwarden.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.DrainTimeoutAction;
import io.patchwarden.api.policy.NodeFailureAction;
import io.patchwarden.operator.policy.NodeCompliance;
import io.patchwarden.operator.policy.NodeFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Safety rules of the node state machine, over arbitrary records, observations and instants. */
class NodeMachinePropertiesTest {
  static final Instant SINCE = Instant.parse("2026-11-01T01:00:00Z");

  /** The edges of the documented state machine. */
  static final Map<NodeState, Set<NodeState>> ALLOWED =
      Map.of(
          NodeState.Selected, EnumSet.of(NodeState.Cordoned),
          NodeState.Cordoned, EnumSet.of(NodeState.Drained, NodeState.Failed, NodeState.Skipped),
          NodeState.Drained, EnumSet.of(NodeState.Patching),
          NodeState.Patching,
              EnumSet.of(NodeState.Rebooting, NodeState.Verifying, NodeState.Failed),
          NodeState.Rebooting, EnumSet.of(NodeState.Verifying, NodeState.Failed),
          NodeState.Verifying, EnumSet.of(NodeState.Done, NodeState.Failed));

  record Case(
      NodeRules rules,
      NodeRecord record,
      NodeView node,
      DrainView drain,
      JobView job,
      Instant at) {}

  @Property(tries = 3000)
  void followsTheDocumentedEdgesOnly(@ForAll("cases") Case c) {
    Step step = next(c);
    if (c.record().state().finished()) {
      assertThat(step).isInstanceOf(Step.Finished.class);
    } else if (step instanceof Step.Transition t) {
      assertThat(ALLOWED.get(c.record().state())).contains(t.to());
    }
  }

  @Property(tries = 3000)
  void neverUncordonsANodeAnAdminCordoned(@ForAll("cases") Case c) {
    if (next(c) instanceof Step.Transition t && c.record().wasUnschedulable()) {
      assertThat(t.unschedulable()).isNotEqualTo(Boolean.FALSE);
    }
  }

  @Property(tries = 3000)
  void uncordonsOnlyWhenTheNodeLeavesTheRunUnharmedOrPolicySaysSo(@ForAll("cases") Case c) {
    if (next(c) instanceof Step.Transition t && Boolean.FALSE.equals(t.unschedulable())) {
      boolean allowed =
          t.to() == NodeState.Done
              || t.to() == NodeState.Skipped
              || (t.to() == NodeState.Failed
                  && c.rules().onFailure() == NodeFailureAction.Uncordon);
      assertThat(allowed).as("uncordon on %s", t.to()).isTrue();
    }
  }

  @Property(tries = 3000)
  void jobsAreCreatedOnlyInTheirOwnStateAndWaitsAreBounded(@ForAll("cases") Case c) {
    Step step = next(c);
    if (step instanceof Step.CreateJob j) {
      assertThat(c.record().state())
          .isEqualTo(j.kind() == Step.JobKind.Patch ? NodeState.Patching : NodeState.Rebooting);
    }
    if (step instanceof Step.Wait w) {
      assertThat(w.until()).isAfter(c.at());
      assertThat(w.until()).isBeforeOrEqualTo(c.at().plus(Duration.ofHours(1)));
    }
  }

  @Property(tries = 3000)
  void doneMeansReadyAndAtTheTarget(@ForAll("cases") Case c) {
    if (next(c) instanceof Step.Transition t && t.to() == NodeState.Done) {
      assertThat(c.node().ready()).isTrue();
      if (c.rules().target() != null) {
        assertThat(c.rules().target().behind(c.node().facts())).isEmpty();
      }
    }
  }

  private static Step next(Case c) {
    return NodeMachine.next(c.rules(), c.record(), c.node(), c.drain(), c.job(), c.at());
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<NodeRules> rules =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.of(DrainTimeoutAction.class),
                Arbitraries.of(RebootPolicy.class),
                Arbitraries.of(NodeFailureAction.class),
                Arbitraries.of(true, false))
            .as(
                (drain, onTimeout, reboot, onFailure, target) ->
                    new NodeRules(
                        drain,
                        Duration.ofMinutes(10),
                        onTimeout,
                        reboot,
                        onFailure,
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(15),
                        target ? new NodeCompliance("6.1.0-28-amd64", null, null, null) : null,
                        "ns/p@x"));
    Arbitrary<NodeRecord> records =
        Combinators.combine(
                Arbitraries.of(NodeState.class),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false))
            .as(
                (state, was, requested) ->
                    new NodeRecord(
                        "ns/p", "r", state, SINCE, was, "boot-1", requested, Map.of(), false));
    Arbitrary<NodeView> nodes =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.of(true, false),
                Arbitraries.of("boot-1", "boot-2", null),
                Arbitraries.of("6.1.0-27-amd64", "6.1.0-28-amd64", null))
            .as(
                (ready, unschedulable, boot, kernel) ->
                    new NodeView(
                        ready,
                        unschedulable,
                        boot,
                        new NodeFacts("n", kernel, "Debian", "v1.30.1", null, Duration.ZERO)));
    Arbitrary<DrainView> drains =
        Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
            .as(
                (remaining, refused) ->
                    new DrainView(remaining, Math.min(refused, remaining), List.of()))
            .injectNull(0.3);
    Arbitrary<JobView> jobs =
        Combinators.combine(Arbitraries.of(JobView.Phase.class), Arbitraries.of(true, false))
            .as((phase, reboot) -> new JobView(phase, null, reboot));
    Arbitrary<Instant> at = Arbitraries.longs().between(0, 3 * 3600).map(SINCE::plusSeconds);
    return Combinators.combine(rules, records, nodes, drains, jobs, at).as(Case::new);
  }
}
