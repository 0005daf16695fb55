package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.Rollout;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.operator.node.NodePatcher;
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

  /** Targets with updates released long ago, just now, and not at all (first seen only). */
  private static final List<TargetFacts> TARGETS =
      List.of(
          new TargetFacts(
              "laptop-1",
              true,
              List.of(
                  new Update(
                      "openssl=3.0.15",
                      "openssl",
                      "3.0.15",
                      Classification.Security,
                      Severity.Critical,
                      List.of("CVE-2024-5535"),
                      Instant.parse("1970-01-01T00:00:00Z"),
                      null),
                  new Update(
                      "linux-image-6.1.0=6.1.0-28",
                      "linux-image-6.1.0",
                      "6.1.0-28",
                      Classification.Kernel,
                      Severity.High,
                      List.of(),
                      NOW,
                      null),
                  new Update(
                      "vim=9.1", "vim", "9.1", null, null, null, null, NOW.minusSeconds(60))),
              true,
              NOW,
              Duration.ofDays(7),
              Set.of("vim=9.1"),
              null),
          new TargetFacts(
              "never-reported", false, List.of(), false, null, Duration.ofDays(1), null, null));

  @Provide
  Arbitrary<SpecFuzz.Case> policies() {
    return Arbitraries.randomValue(r -> new SpecFuzz(r).policy());
  }

  @Property(tries = 1000, seed = "20261207", shrinking = ShrinkingMode.OFF)
  void everyAdmittedPolicyIsEvaluatedOrNotReadyForASpecificReason(
      @ForAll("policies") SpecFuzz.Case c) {
    List<String> violations = c.schemaViolations();
    if (!violations.isEmpty()) {
      TALLY.add("rejected by the CRD schema/CEL [" + c.mode() + "]");
    }
    Assume.that(violations.isEmpty());
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

  private static void evaluate(SpecFuzz.Case c, PatchPolicy policy) {
    PatchPolicySpec spec = policy.getSpec();
    ApprovalRules approval = ApprovalRules.from(spec.getApproval());
    approval.warnings(LocalDate.ofInstant(NOW, ZoneOffset.UTC));
    NodeCompliance nodeRules =
        NodeCompliance.from(
            spec.getNodes(),
            spec.getNodes() == null || spec.getNodes().getPatch() == null
                ? null
                : NodePatcher.marker(NodePatcher.policyId(policy), spec.getNodes().getPatch()));
    DeadlineRules deadlines = DeadlineRules.from(spec.getDeadlines());
    ComplianceEvaluator evaluator =
        new ComplianceEvaluator(approval, deadlines, KnownExploitedCatalog.EMPTY, NOW);
    List<TargetEvaluation> results = new ArrayList<>(evaluator.evaluateAll(TARGETS));
    results.add(
        NodeCompliance.evaluate(
            nodeRules,
            new NodeFacts(
                "node-1",
                "6.1.0-28-amd64",
                "Debian GNU/Linux 12",
                "v1.30.0",
                NOW,
                Duration.ofMinutes(5),
                null),
            NOW));
    assertThat(results).as("one result per target of %s", c).hasSize(TARGETS.size() + 1);
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
    for (String mode :
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
            "valid")) {
      assertThat(TALLY.total(mode + " -> ")).as("cases of %s", mode).isGreaterThan(20);
    }
  }
}
