package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.NodePatchJob;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.PatchMatcher;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.Rollout;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchPolicyValidatorTest {
  private static final Set<String> GROUPS = Set.of("laptops", "it-department");
  private static final Set<String> WINDOWS = Set.of("evenings");

  private static PatchPolicySpec policy() {
    PatchPolicySpec spec = new PatchPolicySpec();
    spec.setGroups(List.of("laptops"));
    spec.setWindows(List.of("evenings"));
    return spec;
  }

  private static Wave wave(String name, String group, Integer percent) {
    Wave w = new Wave();
    w.setName(name);
    w.setGroup(group);
    w.setPercent(percent);
    return w;
  }

  private static List<SpecProblem> validate(PatchPolicySpec spec) {
    return PatchPolicyValidator.validate(spec, GROUPS, WINDOWS);
  }

  @Test
  void aPolicyWhoseReferencesExistIsValid() {
    assertThat(validate(policy())).isEmpty();
  }

  @Test
  void everyMissingGroupAndWindowIsNamed() {
    PatchPolicySpec spec = policy();
    spec.setGroups(List.of("laptops", "servers", "kiosks"));
    spec.setWindows(List.of("evenings", "weekends"));

    List<SpecProblem> problems = validate(spec);

    assertThat(problems)
        .extracting(SpecProblem::reason, SpecProblem::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Reason.GroupNotFound, "spec.groups[1]"),
            org.assertj.core.groups.Tuple.tuple(Reason.GroupNotFound, "spec.groups[2]"),
            org.assertj.core.groups.Tuple.tuple(Reason.WindowNotFound, "spec.windows[1]"));
    assertThat(problems.get(0).message()).contains("'servers'");
    assertThat(problems.get(2).message()).contains("'weekends'");
  }

  @Test
  void waveGroupsMustExistAndWavesNeedExactlyOneOfGroupAndPercent() {
    PatchPolicySpec spec = policy();
    Rollout rollout = new Rollout();
    rollout.setWaves(
        List.of(
            wave("canary", "it-department", null),
            wave("pilot", "pilots", null),
            wave("both", "laptops", 10),
            wave("canary", null, 100)));
    spec.setRollout(rollout);

    assertThat(validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly(
            "spec.rollout.waves[1].group", "spec.rollout.waves[2]", "spec.rollout.waves[3].name");
  }

  @Test
  void maxConcurrentAndHaltOnFailuresAcceptCountsAndPercentages() {
    PatchPolicySpec spec = policy();
    Rollout rollout = new Rollout();
    rollout.setMaxConcurrent(new IntOrString("20%"));
    rollout.setHaltOnFailures(new IntOrString(0));
    spec.setRollout(rollout);
    assertThat(validate(spec)).isEmpty();

    rollout.setMaxConcurrent(new IntOrString(0));
    rollout.setHaltOnFailures(new IntOrString("150%"));
    assertThat(validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly("spec.rollout.maxConcurrent", "spec.rollout.haltOnFailures");
  }

  @Test
  void approvalRulesAndMatchersAreChecked() {
    PatchPolicySpec spec = policy();
    ApprovalRule rule = new ApprovalRule();
    rule.setApproveAfter("2 days");
    rule.setApproveUntil("2026-13-01");
    PatchMatcher both = new PatchMatcher();
    both.setId("KB1");
    both.setCve("CVE-2024-3094");
    PatchMatcher versionOnly = new PatchMatcher();
    versionOnly.setVersion("1.2.3");
    var approval = new io.patchwarden.api.policy.Approval();
    approval.setRules(List.of(rule));
    approval.setReject(List.of(both, versionOnly));
    spec.setApproval(approval);

    assertThat(validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly(
            "spec.approval.rules[0].approveAfter",
            "spec.approval.rules[0].approveUntil",
            "spec.approval.reject[0]",
            "spec.approval.reject[1]",
            "spec.approval.reject[1].version");
  }

  @Test
  void nodePatchImageMustBePinnedAndFromAnAllowedRegistry() {
    PatchPolicySpec spec = policy();
    NodePatching nodes = new NodePatching();
    NodePatchJob job = new NodePatchJob();
    job.setImage("docker.io/library/debian:12");
    job.setAllowedRegistries(List.of("registry.acme.example"));
    nodes.setPatch(job);
    spec.setNodes(nodes);

    assertThat(validate(spec))
        .extracting(SpecProblem::reason)
        .containsExactly(Reason.InvalidNodePatching, Reason.InvalidNodePatching);

    job.setImage("registry.acme.example/patcher@sha256:" + "a".repeat(64));
    assertThat(validate(spec)).isEmpty();

    job.setImage("registry.acme.example/patcher:1.0");
    job.setAllowUnpinnedImage(true);
    assertThat(validate(spec)).isEmpty();
  }

  @Test
  void referencedGroupsIncludeWaveGroups() {
    PatchPolicySpec spec = policy();
    Rollout rollout = new Rollout();
    rollout.setWaves(List.of(wave("canary", "it-department", null), wave("all", null, 100)));
    spec.setRollout(rollout);

    assertThat(PolicyCaches.referencedGroups(spec))
        .containsExactlyInAnyOrder("laptops", "it-department");
    assertThat(PolicyCaches.referencedWindows(spec)).containsExactly("evenings");
    assertThat(PolicyCaches.referencedGroups(null)).isEmpty();
  }
}
