package io.patchwarden.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.DrainTimeoutAction;
import io.patchwarden.api.policy.NodeFailureAction;
import io.patchwarden.operator.policy.NodeCompliance;
import io.patchwarden.operator.policy.NodeFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeMachineTest {
  static final Instant SINCE = Instant.parse("2026-11-01T01:00:00Z");
  static final Instant NOW = SINCE.plusSeconds(30);
  static final String OLD_KERNEL = "6.1.0-27-amd64";
  static final String NEW_KERNEL = "6.1.0-28-amd64";

  static NodeRules rules() {
    return new NodeRules(
        true,
        Duration.ofMinutes(10),
        DrainTimeoutAction.Fail,
        RebootPolicy.IfRequired,
        NodeFailureAction.StayCordoned,
        Duration.ofMinutes(30),
        Duration.ofMinutes(15),
        new NodeCompliance(NEW_KERNEL, null, null, null),
        "ns/p@abc");
  }

  static NodeRecord record(NodeState state, boolean wasUnschedulable) {
    return new NodeRecord(
        "ns/p", "run-1", state, SINCE, wasUnschedulable, "boot-1", false, Map.of(), false);
  }

  static NodeView node(boolean ready, String bootId, String kernel) {
    return new NodeView(
        ready,
        true,
        bootId,
        new NodeFacts(
            "n1", kernel, "Debian GNU/Linux 12 (bookworm)", "v1.30.4", null, Duration.ZERO));
  }

  static final NodeView UP = node(true, "boot-1", OLD_KERNEL);

  static Step.Transition transition(Step step) {
    assertThat(step).isInstanceOf(Step.Transition.class);
    return (Step.Transition) step;
  }

  @Nested
  class Cordon {
    @Test
    void selectedNodeIsCordonedRememberingItsSchedulability() {
      NodeView schedulable = new NodeView(true, false, "boot-1", UP.facts());
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Selected, false),
                  schedulable,
                  null,
                  JobView.MISSING,
                  NOW));
      assertThat(t.to()).isEqualTo(NodeState.Cordoned);
      assertThat(t.unschedulable()).isTrue();
      assertThat(t.record())
          .containsEntry(NodeAnnotations.WAS_UNSCHEDULABLE, "false")
          .containsEntry(NodeAnnotations.KERNEL_BEFORE, OLD_KERNEL)
          .containsEntry(NodeAnnotations.OS_IMAGE_BEFORE, "Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void aNodeAnAdminCordonedIsRecordedAsSuch() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(), record(NodeState.Selected, false), UP, null, JobView.MISSING, NOW));
      assertThat(t.record()).containsEntry(NodeAnnotations.WAS_UNSCHEDULABLE, "true");
    }
  }

  @Test
  void aCordonLeftByAFailedRunIsPatchwardensOwn() {
    NodeRecord inherited =
        new NodeRecord(
            "ns/p", "run-2", NodeState.Selected, SINCE, false, null, false, Map.of(), true);
    Step.Transition t =
        transition(NodeMachine.next(rules(), inherited, UP, null, JobView.MISSING, NOW));
    assertThat(t.record()).containsEntry(NodeAnnotations.WAS_UNSCHEDULABLE, "false");
  }

  @Nested
  class Drain {
    @Test
    void evictsFirstThenMovesOnWhenNothingIsLeft() {
      NodeRecord cordoned = record(NodeState.Cordoned, false);
      assertThat(NodeMachine.next(rules(), cordoned, UP, null, JobView.MISSING, NOW))
          .isInstanceOf(Step.Evict.class);
      Step.Transition t =
          transition(
              NodeMachine.next(rules(), cordoned, UP, DrainView.EMPTY, JobView.MISSING, NOW));
      assertThat(t.to()).isEqualTo(NodeState.Drained);
      assertThat(t.phase()).isEqualTo(NodeMachine.DRAIN);
      assertThat(t.phaseTook()).isEqualTo(Duration.ofSeconds(30));
      assertThat(t.unschedulable()).isNull();
    }

    @Test
    void refusedEvictionsAreRetriedLaterThanTerminatingPodsAreCheckedAgain() {
      NodeRecord cordoned = record(NodeState.Cordoned, false);
      Step refused =
          NodeMachine.next(
              rules(), cordoned, UP, new DrainView(1, 1, List.of("a/b")), JobView.MISSING, NOW);
      Step terminating =
          NodeMachine.next(
              rules(), cordoned, UP, new DrainView(1, 0, List.of("a/b")), JobView.MISSING, NOW);
      assertThat(refused).isEqualTo(new Step.Wait(NOW.plus(NodeMachine.EVICTION_RETRY)));
      assertThat(terminating).isEqualTo(new Step.Wait(NOW.plus(NodeMachine.TERMINATION_CHECK)));
    }

    @Test
    void waitNeverOutlastsTheDrainTimeout() {
      Instant justBefore = SINCE.plus(Duration.ofMinutes(10)).minusSeconds(2);
      Step step =
          NodeMachine.next(
              rules(),
              record(NodeState.Cordoned, false),
              UP,
              new DrainView(1, 1, List.of("a/b")),
              JobView.MISSING,
              justBefore);
      assertThat(step).isEqualTo(new Step.Wait(SINCE.plus(Duration.ofMinutes(10))));
    }

    @Test
    void disabledDrainGoesStraightOn() {
      NodeRules noDrain =
          new NodeRules(
              false,
              Duration.ofMinutes(10),
              DrainTimeoutAction.Fail,
              RebootPolicy.IfRequired,
              NodeFailureAction.StayCordoned,
              Duration.ofMinutes(30),
              Duration.ofMinutes(15),
              null,
              null);
      assertThat(
              transition(
                      NodeMachine.next(
                          noDrain,
                          record(NodeState.Cordoned, false),
                          UP,
                          null,
                          JobView.MISSING,
                          NOW))
                  .to())
          .isEqualTo(NodeState.Drained);
    }

    @ParameterizedTest
    @EnumSource(DrainTimeoutAction.class)
    void timeoutDoesWhatOnTimeoutSays(DrainTimeoutAction action) {
      NodeRules rules = withDrainTimeout(action, NodeFailureAction.StayCordoned);
      Instant late = SINCE.plus(Duration.ofMinutes(10));
      Step step =
          NodeMachine.next(
              rules,
              record(NodeState.Cordoned, false),
              UP,
              new DrainView(
                  2, 1, List.of("shop/web-0 (a PodDisruptionBudget allows no disruption now)")),
              JobView.MISSING,
              late);
      switch (action) {
        case Fail -> {
          Step.Transition t = transition(step);
          assertThat(t.to()).isEqualTo(NodeState.Failed);
          assertThat(t.failure()).isEqualTo(NodeFailure.DrainTimeout);
          assertThat(t.message()).contains("10m").contains("shop/web-0");
          assertThat(t.unschedulable()).as("stays cordoned").isNull();
        }
        case Skip -> {
          Step.Transition t = transition(step);
          assertThat(t.to()).isEqualTo(NodeState.Skipped);
          assertThat(t.unschedulable()).as("uncordoned").isFalse();
        }
        case Force -> assertThat(step).isInstanceOf(Step.ForceDelete.class);
      }
    }

    @Test
    void skippingANodeAnAdminCordonedLeavesItCordoned() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  withDrainTimeout(DrainTimeoutAction.Skip, NodeFailureAction.Uncordon),
                  record(NodeState.Cordoned, true),
                  UP,
                  new DrainView(1, 1, List.of("x")),
                  JobView.MISSING,
                  SINCE.plus(Duration.ofHours(1))));
      assertThat(t.to()).isEqualTo(NodeState.Skipped);
      assertThat(t.unschedulable()).isNull();
    }
  }

  @Nested
  class Patch {
    @Test
    void drainedNodeMovesToPatchingBeforeTheJobExists() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(), record(NodeState.Drained, false), UP, null, JobView.MISSING, NOW));
      assertThat(t.to()).isEqualTo(NodeState.Patching);
    }

    @Test
    void createsTheJobWhenMissingAndWaitsForItWhenRunning() {
      NodeRecord patching = record(NodeState.Patching, false);
      assertThat(NodeMachine.next(rules(), patching, UP, null, JobView.MISSING, NOW))
          .isEqualTo(new Step.CreateJob(Step.JobKind.Patch));
      assertThat(NodeMachine.next(rules(), patching, UP, null, JobView.RUNNING, NOW))
          .isEqualTo(new Step.Wait(SINCE.plus(Duration.ofMinutes(30)).plus(NodeRules.JOB_GRACE)));
    }

    @Test
    void aJobThatNeverFinishesTimesOut() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Patching, false),
                  UP,
                  null,
                  JobView.RUNNING,
                  SINCE.plus(Duration.ofMinutes(33))));
      assertThat(t.failure()).isEqualTo(NodeFailure.PatchTimeout);
      assertThat(t.phase()).isEqualTo(NodeMachine.PATCH);
    }

    @Test
    void aMissingJobLongAfterTheDeadlineIsNotCreatedAgain() {
      // e.g. the operator was down longer than the Job's TTL: never a second patch Job.
      Step step =
          NodeMachine.next(
              rules(),
              record(NodeState.Patching, false),
              UP,
              null,
              JobView.MISSING,
              SINCE.plus(Duration.ofDays(8)));
      assertThat(transition(step).failure()).isEqualTo(NodeFailure.PatchTimeout);
    }

    @Test
    void failedJobFailsTheNodeWithItsMessage() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Patching, false),
                  UP,
                  null,
                  new JobView(JobView.Phase.Failed, "BackoffLimitExceeded: dpkg error", false),
                  NOW));
      assertThat(t.to()).isEqualTo(NodeState.Failed);
      assertThat(t.failure()).isEqualTo(NodeFailure.PatchFailed);
      assertThat(t.message()).contains("dpkg error");
      assertThat(t.unschedulable()).isNull();
    }

    @Test
    void onFailureUncordonUncordonsUnlessAnAdminHadCordoned() {
      NodeRules uncordon = withDrainTimeout(DrainTimeoutAction.Fail, NodeFailureAction.Uncordon);
      JobView failed = new JobView(JobView.Phase.Failed, null, false);
      assertThat(
              transition(
                      NodeMachine.next(
                          uncordon, record(NodeState.Patching, false), UP, null, failed, NOW))
                  .unschedulable())
          .isFalse();
      assertThat(
              transition(
                      NodeMachine.next(
                          uncordon, record(NodeState.Patching, true), UP, null, failed, NOW))
                  .unschedulable())
          .isNull();
    }

    @ParameterizedTest
    @EnumSource(RebootPolicy.class)
    void succeededJobLeadsToRebootOrVerification(RebootPolicy reboot) {
      NodeRules rules = withReboot(reboot);
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules,
                  record(NodeState.Patching, false),
                  UP,
                  null,
                  new JobView(JobView.Phase.Succeeded, "reboot-required", true),
                  NOW));
      assertThat(t.phase()).isEqualTo(NodeMachine.PATCH);
      assertThat(t.record()).containsEntry(NodeAnnotations.REBOOT_REQUESTED, "true");
      if (reboot == RebootPolicy.Never) {
        assertThat(t.to()).isEqualTo(NodeState.Verifying);
      } else {
        assertThat(t.to()).isEqualTo(NodeState.Rebooting);
        assertThat(t.record()).containsEntry(NodeAnnotations.BOOT_ID_BEFORE, "boot-1");
      }
    }
  }

  @Nested
  class Reboot {
    @Test
    void createsTheRebootJobThenWaitsForANewBootId() {
      NodeRecord rebooting = record(NodeState.Rebooting, false);
      assertThat(NodeMachine.next(rules(), rebooting, UP, null, JobView.MISSING, NOW))
          .isEqualTo(new Step.CreateJob(Step.JobKind.Reboot));
      assertThat(NodeMachine.next(rules(), rebooting, UP, null, JobView.RUNNING, NOW))
          .isEqualTo(new Step.Wait(SINCE.plus(Duration.ofMinutes(15))));
    }

    @Test
    void newBootIdButNotReadyKeepsWaiting() {
      assertThat(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Rebooting, false),
                  node(false, "boot-2", NEW_KERNEL),
                  null,
                  JobView.RUNNING,
                  NOW))
          .isInstanceOf(Step.Wait.class);
    }

    @Test
    void newBootIdAndReadyIsTheEndOfTheReboot() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Rebooting, false),
                  node(true, "boot-2", NEW_KERNEL),
                  null,
                  JobView.RUNNING,
                  NOW));
      assertThat(t.to()).isEqualTo(NodeState.Verifying);
      assertThat(t.phase()).isEqualTo(NodeMachine.REBOOT);
    }

    @Test
    void rebootJobThatSucceedsMeansNoRebootWasRequired() {
      assertThat(
              transition(
                      NodeMachine.next(
                          rules(),
                          record(NodeState.Rebooting, false),
                          UP,
                          null,
                          new JobView(JobView.Phase.Succeeded, null, false),
                          NOW))
                  .to())
          .isEqualTo(NodeState.Verifying);
    }

    @Test
    void rebootJobFailureAndTimeoutFailTheNode() {
      JobView failed = new JobView(JobView.Phase.Failed, "x", false);
      // A failed reboot Job may be the reboot itself (graceful shutdown): wait for the bootID.
      assertThat(
              NodeMachine.next(rules(), record(NodeState.Rebooting, false), UP, null, failed, NOW))
          .isEqualTo(new Step.Wait(SINCE.plus(Duration.ofMinutes(15))));
      assertThat(
              transition(
                      NodeMachine.next(
                          rules(),
                          record(NodeState.Rebooting, false),
                          UP,
                          null,
                          failed,
                          SINCE.plus(Duration.ofMinutes(15))))
                  .failure())
          .isEqualTo(NodeFailure.RebootFailed);
      Step.Transition timeout =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Rebooting, false),
                  node(false, "boot-2", NEW_KERNEL),
                  null,
                  JobView.RUNNING,
                  SINCE.plus(Duration.ofMinutes(15))));
      assertThat(timeout.failure()).isEqualTo(NodeFailure.RebootTimeout);
      assertThat(timeout.message()).contains("rebooted but was not Ready");
    }
  }

  @Nested
  class Verify {
    @Test
    void readyNodeAtTheTargetIsDoneAndUncordoned() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Verifying, false),
                  node(true, "boot-2", NEW_KERNEL),
                  null,
                  JobView.MISSING,
                  NOW));
      assertThat(t.to()).isEqualTo(NodeState.Done);
      assertThat(t.unschedulable()).isFalse();
      assertThat(t.record())
          .containsEntry(NodeAnnotations.KERNEL_AFTER, NEW_KERNEL)
          .containsEntry(NodeAnnotations.PATCHED_WITH, "ns/p@abc");
    }

    @Test
    void aNodeAnAdminCordonedIsNeverUncordoned() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Verifying, true),
                  node(true, "boot-2", NEW_KERNEL),
                  null,
                  JobView.MISSING,
                  NOW));
      assertThat(t.to()).isEqualTo(NodeState.Done);
      assertThat(t.unschedulable()).isNull();
    }

    @Test
    void targetNotMetFailsNamingWhatIsBehind() {
      Step.Transition t =
          transition(
              NodeMachine.next(
                  rules(),
                  record(NodeState.Verifying, false),
                  node(true, "boot-2", OLD_KERNEL),
                  null,
                  JobView.MISSING,
                  NOW));
      assertThat(t.failure()).isEqualTo(NodeFailure.TargetNotMet);
      assertThat(t.message()).contains(OLD_KERNEL).contains(NEW_KERNEL);
    }

    @Test
    void notReadyWaitsUntilTheReadyTimeoutThenFails() {
      NodeView down = node(false, "boot-2", NEW_KERNEL);
      assertThat(
              NodeMachine.next(
                  rules(), record(NodeState.Verifying, false), down, null, JobView.MISSING, NOW))
          .isEqualTo(new Step.Wait(SINCE.plus(Duration.ofMinutes(15))));
      assertThat(
              transition(
                      NodeMachine.next(
                          rules(),
                          record(NodeState.Verifying, false),
                          down,
                          null,
                          JobView.MISSING,
                          SINCE.plus(Duration.ofMinutes(16))))
                  .failure())
          .isEqualTo(NodeFailure.NotReady);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = NodeState.class,
      names = {"Done", "Failed", "Skipped"})
  void finishedNodesAreLeftAlone(NodeState state) {
    assertThat(NodeMachine.next(rules(), record(state, false), UP, null, JobView.MISSING, NOW))
        .isInstanceOf(Step.Finished.class);
  }

  @Test
  void durationsAccumulateInOrder() {
    String d = NodeRecord.durationsWith(NodeRecord.durations("drain=12,patch=95"), "reboot", 71);
    assertThat(d).isEqualTo("drain=12,patch=95,reboot=71");
    assertThat(NodeRecord.durations("drain=x,patch=3")).containsExactly(Map.entry("patch", 3L));
  }

  @Test
  void recordIsReadFromAnnotations() {
    NodeRecord r =
        NodeRecord.of(
            Map.of(
                NodeAnnotations.POLICY, "ns/p",
                NodeAnnotations.RUN, "p-1",
                NodeAnnotations.STATE, "Patching",
                NodeAnnotations.SINCE, "2026-11-01T01:00:00Z",
                NodeAnnotations.WAS_UNSCHEDULABLE, "true"));
    assertThat(r.state()).isEqualTo(NodeState.Patching);
    assertThat(r.since()).isEqualTo(SINCE);
    assertThat(r.wasUnschedulable()).isTrue();
    assertThat(NodeRecord.of(Map.of(NodeAnnotations.STATE, "Bogus"))).isNull();
    assertThat(NodeRecord.of(null)).isNull();
  }

  static NodeRules withDrainTimeout(DrainTimeoutAction action, NodeFailureAction onFailure) {
    NodeRules r = rules();
    return new NodeRules(
        r.drain(),
        r.drainTimeout(),
        action,
        r.reboot(),
        onFailure,
        r.patchTimeout(),
        r.readyTimeout(),
        r.target(),
        r.patchedWith());
  }

  static NodeRules withReboot(RebootPolicy reboot) {
    NodeRules r = rules();
    return new NodeRules(
        r.drain(),
        r.drainTimeout(),
        r.onDrainTimeout(),
        reboot,
        r.onFailure(),
        r.patchTimeout(),
        r.readyTimeout(),
        r.target(),
        r.patchedWith());
  }
}
