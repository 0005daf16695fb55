package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.Rollout;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.operator.rollout.Limit;
import io.patchwarden.operator.rollout.WaveDef;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.support.Durations;
import io.patchwarden.operator.testing.SpecFuzz;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random PatchPolicies that the generated CRD admits, through the pure steps of {@link
 * PatchPolicyReconciler#reconcile}: validate against the fixture groups and window, then — as the
 * reconciler does when only references are missing — build the approval, deadline and node rules
 * and evaluate fixture targets, and for a valid policy read its waves and limits as the rollout
 * does. Nothing throws; the conditions name a specific reason and field (see {@link SpecFuzz}). The
 * reconciler itself runs on a sample of the same cases in {@code SpecFuzzMockServerTest}.
 */
class PolicySpecFuzzPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
  private static final SpecFuzz.Tally TALLY = new SpecFuzz.Tally();

  /** An endpoint with updates released long ago, just now and at no known date, and one unseen. */
  private static final List<ManagedEndpoint> ENDPOINTS =
      List.of(
          Serialization.unmarshal(
              """
              apiVersion: patchwarden.io/v1alpha1
              kind: ManagedEndpoint
              metadata: {name: laptop-1, namespace: fuzz, uid: u-1}
              spec: {machineId: laptop-0001}
              status:
                lastSeen: "2026-12-07T01:59:00Z"
                inventory:
                  osFamily: Debian
                  rebootRequired: true
                  pendingUpdates:
                    - {id: openssl=3.0.15, package: openssl, version: "3.0.15",
                       classification: Security, severity: Critical, cves: [CVE-2024-5535],
                       releaseDate: "1970-01-01"}
                    - {id: linux-image-6.1.0=6.1.0-28, package: linux-image-6.1.0,
                       classification: Kernel, severity: High, releaseDate: "2026-12-07T02:00:00Z"}
                    - {id: vim=9.1, package: vim, firstSeen: "2026-12-07T01:59:00Z"}
                lastResult:
                  run: pp-1
                  updates: [{id: vim=9.1, result: Failed}]
              """,
              ManagedEndpoint.class),
          Serialization.unmarshal(
              """
              apiVersion: patchwarden.io/v1alpha1
              kind: ManagedEndpoint
              metadata: {name: never-reported, namespace: fuzz, uid: u-2}
              spec: {machineId: never-0001}
              """,
              ManagedEndpoint.class));

  private static final Node NODE =
      Serialization.unmarshal(
          """
          apiVersion: v1
          kind: Node
          metadata: {name: node-1, uid: n-1}
          status:
            nodeInfo: {kernelVersion: 6.1.0-28-amd64, osImage: Debian GNU/Linux 12,
                       kubeletVersion: v1.30.0}
            conditions:
              - {type: Ready, status: "True", lastHeartbeatTime: "2026-12-07T01:59:30Z"}
          """,
          Node.class);

  @Provide
  Arbitrary<SpecFuzz.Case> policies() {
    return Arbitraries.randomValue(r -> new SpecFuzz(r).policy());
  }

  @Property(tries = 1000, seed = "20261207", shrinking = ShrinkingMode.OFF)
  void everyAdmittedPolicyIsEvaluatedOrNotReadyForASpecificReason(
      @ForAll("policies") SpecFuzz.Case c) {
    Assume.that(c.admitted(TALLY));
    PatchPolicy policy = SpecFuzz.resource(c, PatchPolicy.class, "fuzz");
    PatchPolicySpec spec = policy.getSpec();

    List<SpecProblem> problems =
        new ArrayList<>(
            PatchPolicyValidator.validate(
                spec, Set.copyOf(SpecFuzz.GROUPS), Set.of(SpecFuzz.WINDOW)));
    if (spec.getNodes() != null && spec.getNodes().getPatch() != null) {
      // What the reconciler adds with no PATCHWARDEN_NODE_POLICY_NAMESPACES (the default).
      problems.add(new SpecProblem(Reason.NodePatchingNotAllowed, "spec.nodes.patch", "not here"));
    }
    var conditions = new StatusAggregator(null, 1, NOW);
    if (problems.stream()
        .allMatch(p -> p.reason() == Reason.GroupNotFound || p.reason() == Reason.WindowNotFound)) {
      evaluate(c, policy);
    }
    if (problems.isEmpty()) {
      readRollout(c, spec.getRollout());
      conditions.ready(Reason.SpecValid, "valid");
    } else {
      conditions.invalid(problems);
    }

    TALLY.add(c.mode() + " -> " + SpecFuzz.verdict(c, conditions.build(), 1));
  }

  /** What a pass evaluates, through {@link PolicyJudge}: the same rules as the reconciler's. */
  private static void evaluate(SpecFuzz.Case c, PatchPolicy policy) {
    ApprovalRules.from(policy.getSpec().getApproval())
        .warnings(LocalDate.ofInstant(NOW, ZoneOffset.UTC));
    PolicyJudge judge = PolicyJudge.of(policy, name -> Optional.empty(), NOW);
    List<TargetEvaluation> results = new ArrayList<>();
    for (ManagedEndpoint e : ENDPOINTS) {
      results.add(judge.endpoint(e, Duration.ofDays(7)));
    }
    results.add(judge.node(NODE, Duration.ofMinutes(5)));
    assertThat(results).as("results of %s", c).doesNotContainNull();
    ComplianceSummary summary = ComplianceSummary.of(results, NOW);
    assertThat(summary.nextChange())
        .as("next change of %s", c)
        .satisfiesAnyOf(n -> assertThat(n).isNull(), n -> assertThat(n).isAfterOrEqualTo(NOW));
  }

  /** What the rollout reads from a valid policy: its waves (with soaks) and its limits. */
  private static void readRollout(SpecFuzz.Case c, Rollout rollout) {
    List<WaveDef> declared = new ArrayList<>();
    if (rollout != null && rollout.getWaves() != null) {
      for (Wave w : rollout.getWaves()) {
        declared.add(
            new WaveDef(
                w.getName(),
                w.getGroup(),
                w.getPercent(),
                w.getSoak() == null ? Duration.ZERO : Durations.parse(w.getSoak())));
      }
    }
    List<WaveDef> waves = WaveDef.complete(declared);
    assertThat(waves.get(waves.size() - 1).percent()).as("last wave of %s", c).isEqualTo(100);
    if (rollout != null) {
      for (var value :
          java.util.Arrays.asList(rollout.getMaxConcurrent(), rollout.getHaltOnFailures())) {
        if (value != null) {
          Limit limit = Limit.of(value.getIntVal(), value.getStrVal());
          assertThat(limit.resolve(1_000, 0)).as("limit of %s", c).isNotNegative();
        }
      }
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("PatchPolicy fuzz (validator + evaluation, " + TALLY.total("") + " cases):");
    System.out.print(TALLY);
    TALLY.requireEach(
        List.of(
            "missing-group",
            "missing-window",
            "missing-wave-group",
            "approve-until-not-a-date",
            "deadline-huge",
            "approve-after-huge",
            "soak-huge",
            "node-patching-not-allowed",
            "node-timeout-huge",
            "wild",
            "valid"),
        20);
  }
}
