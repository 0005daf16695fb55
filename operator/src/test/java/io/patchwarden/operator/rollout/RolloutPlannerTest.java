package io.patchwarden.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.operator.window.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");
  static final Interval OPEN = new Interval(NOW.minusSeconds(3600), NOW.plusSeconds(7200));
  static final Duration DAY = Duration.ofDays(1);
  static final List<WaveDef> WAVES =
      WaveDef.complete(
          List.of(
              new WaveDef("canary", "canary", null, Duration.ofHours(24)),
              new WaveDef("pilot", null, 10, null),
              new WaveDef("everyone", null, 100, null)));

  static RolloutTarget target(int i, Progress progress) {
    return new RolloutTarget(
        "uid-" + i,
        "pc-" + i,
        i < 5 ? Set.of("canary") : Set.of(),
        progress,
        progress == Progress.None || progress == Progress.Failed,
        false,
        false,
        OPEN,
        false,
        progress == Progress.Failed ? "a=1: dpkg error" : null);
  }

  static List<RolloutTarget> fleet(int n, Progress progress) {
    return new ArrayList<>(IntStream.range(0, n).mapToObj(i -> target(i, progress)).toList());
  }

  static RunSnapshot run(int maxConcurrent, Limit halt, List<Instant> completed) {
    return new RunSnapshot(
        "run-1", completed, List.of(), true, false, false, new Limit(maxConcurrent, null), halt);
  }

  @Test
  void theFirstWaveStartsWithinMaxConcurrent() {
    Plan plan =
        RolloutPlanner.plan(
            run(3, Limit.NONE, List.of()), WAVES, fleet(100, Progress.None), NOW, DAY);
    assertThat(plan.phase()).isEqualTo(Plan.Phase.Running);
    assertThat(plan.currentWave()).isZero();
    assertThat(plan.admit())
        .hasSize(3)
        .allSatisfy(a -> assertThat(a.target().groups()).contains("canary"));
    assertThat(plan.admit()).allSatisfy(a -> assertThat(a.installUntil()).isEqualTo(OPEN.end()));
    assertThat(plan.waves())
        .extracting(Plan.WaveCounts::name)
        .containsExactly("canary", "pilot", "everyone");
    assertThat(plan.waves().get(0).targets()).isEqualTo(5);
  }

  @Test
  void failedTargetsStillMissingUpdatesHoldSlots() {
    List<RolloutTarget> targets = fleet(100, Progress.None);
    targets.set(0, target(0, Progress.Failed));
    targets.set(1, target(1, Progress.Assigned));
    Plan plan = RolloutPlanner.plan(run(3, Limit.NONE, List.of()), WAVES, targets, NOW, DAY);
    assertThat(plan.admit()).hasSize(1);
  }

  @Test
  void aFinishedWaveSoaksBeforeTheNextStarts() {
    List<RolloutTarget> targets = fleet(100, Progress.None);
    for (int i = 0; i < 5; i++) {
      targets.set(i, target(i, Progress.Succeeded));
    }
    Plan first = RolloutPlanner.plan(run(10, Limit.NONE, List.of()), WAVES, targets, NOW, DAY);
    assertThat(first.waves().get(0).completedAt()).isEqualTo(NOW);
    assertThat(first.phase()).isEqualTo(Plan.Phase.Soaking);
    assertThat(first.admit()).isEmpty();
    assertThat(first.nextChange()).isEqualTo(NOW.plus(Duration.ofHours(24)));

    Instant later = NOW.plus(Duration.ofHours(25));
    Plan after = RolloutPlanner.plan(run(10, Limit.NONE, List.of(NOW)), WAVES, targets, later, DAY);
    assertThat(after.currentWave()).isEqualTo(1);
    assertThat(after.admit())
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.target().groups()).isEmpty());
    assertThat(after.admit())
        .hasSize(after.waves().get(1).pending() < 10 ? after.waves().get(1).pending() : 10);
  }

  @Test
  void aTargetIsAssignedOnlyWhileAWindowIsOpenForIt() {
    List<RolloutTarget> targets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      targets.add(
          new RolloutTarget(
              "uid-" + i,
              "pc-" + i,
              Set.of("canary"),
              Progress.None,
              true,
              false,
              false,
              null,
              false,
              null));
    }
    Plan plan = RolloutPlanner.plan(run(10, Limit.NONE, List.of()), WAVES, targets, NOW, DAY);
    assertThat(plan.admit()).isEmpty();
    assertThat(plan.phase()).isEqualTo(Plan.Phase.WaitingForWindow);
  }

  @Test
  void failuresBeyondTheThresholdHaltAndAcceptedOnesDoNot() {
    List<RolloutTarget> targets = fleet(100, Progress.None);
    targets.set(0, target(0, Progress.Failed));
    targets.set(1, target(1, Progress.Failed));
    Plan halted =
        RolloutPlanner.plan(run(10, new Limit(1, null), List.of()), WAVES, targets, NOW, DAY);
    assertThat(halted.phase()).isEqualTo(Plan.Phase.Halted);
    assertThat(halted.halted()).isZero();
    assertThat(halted.admit()).isEmpty();
    assertThat(halted.failures())
        .extracting(RolloutTarget::name)
        .containsExactlyInAnyOrder("pc-0", "pc-1");

    RunSnapshot resumed =
        new RunSnapshot(
            "run-1",
            List.of(),
            List.of(2),
            true,
            false,
            false,
            new Limit(10, null),
            new Limit(1, null));
    assertThat(RolloutPlanner.plan(resumed, WAVES, targets, NOW, DAY).phase())
        .isEqualTo(Plan.Phase.Running);
    RunSnapshot raised = run(10, new Limit(null, 40), List.of());
    assertThat(RolloutPlanner.plan(raised, WAVES, targets, NOW, DAY).phase())
        .as("40% of 5 = 2 failures allowed")
        .isEqualTo(Plan.Phase.Running);
  }

  @Test
  void unapprovedPausedAndDryRunsAssignNothing() {
    List<RolloutTarget> targets = fleet(20, Progress.None);
    RunSnapshot waiting =
        new RunSnapshot(
            "r", List.of(), List.of(), false, false, false, new Limit(5, null), Limit.NONE);
    RunSnapshot paused =
        new RunSnapshot(
            "r", List.of(), List.of(), true, true, false, new Limit(5, null), Limit.NONE);
    RunSnapshot dry =
        new RunSnapshot(
            "r", List.of(), List.of(), true, false, true, new Limit(5, null), Limit.NONE);
    assertThat(RolloutPlanner.plan(waiting, WAVES, targets, NOW, DAY))
        .satisfies(
            p -> {
              assertThat(p.phase()).isEqualTo(Plan.Phase.WaitingForApproval);
              assertThat(p.admit()).isEmpty();
            });
    assertThat(RolloutPlanner.plan(paused, WAVES, targets, NOW, DAY).admit()).isEmpty();
    Plan preview = RolloutPlanner.plan(dry, WAVES, targets, NOW, DAY);
    assertThat(preview.phase()).isEqualTo(Plan.Phase.DryRun);
    assertThat(preview.admit()).isEmpty();
    assertThat(preview.waves().stream().mapToInt(Plan.WaveCounts::pending).sum())
        .as("the preview counts what would be assigned")
        .isEqualTo(20);
  }

  @Test
  void emergenciesSkipWindowsWaveOrderAndSoakButNotMaxConcurrent() {
    List<RolloutTarget> targets = fleet(100, Progress.None);
    for (int i = 0; i < 5; i++) {
      targets.set(i, target(i, Progress.Succeeded));
    }
    for (int i = 50; i < 60; i++) {
      targets.set(
          i,
          new RolloutTarget(
              "uid-" + i,
              "pc-" + i,
              Set.of(),
              Progress.None,
              true,
              true,
              false,
              null,
              false,
              null));
    }
    Plan plan = RolloutPlanner.plan(run(4, Limit.NONE, List.of()), WAVES, targets, NOW, DAY);
    assertThat(plan.phase()).isEqualTo(Plan.Phase.Soaking);
    assertThat(plan.admit())
        .hasSize(4)
        .allSatisfy(
            a -> {
              assertThat(a.emergency()).isTrue();
              assertThat(a.installUntil()).isEqualTo(NOW.plus(DAY));
            });
  }

  @Test
  void theRunFinishesWhenEveryWaveDid() {
    List<RolloutTarget> targets = fleet(30, Progress.Succeeded);
    targets.set(7, target(7, Progress.Failed));
    targets.set(
        8,
        new RolloutTarget(
            "uid-8", "pc-8", Set.of(), Progress.None, true, false, true, OPEN, false, null));
    List<Instant> completed = List.of(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
    Plan plan = RolloutPlanner.plan(run(10, Limit.NONE, completed), WAVES, targets, NOW, DAY);
    assertThat(plan.phase()).isEqualTo(Plan.Phase.Failed);
    assertThat(plan.currentWave()).isEqualTo(-1);
    assertThat(plan.waves().stream().mapToInt(Plan.WaveCounts::skipped).sum())
        .as("the stale one")
        .isEqualTo(1);
  }

  @Test
  void anAssignedTargetThatGoesStaleNoLongerHoldsItsWaveOrASlot() {
    List<RolloutTarget> targets = fleet(30, Progress.Succeeded);
    targets.set(
        8,
        new RolloutTarget(
            "uid-8", "pc-8", Set.of(), Progress.Assigned, true, false, true, OPEN, false, null));
    List<Instant> completed = List.of(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
    Plan plan = RolloutPlanner.plan(run(10, Limit.NONE, completed), WAVES, targets, NOW, DAY);
    assertThat(plan.phase()).isEqualTo(Plan.Phase.Succeeded);
    assertThat(plan.waves().stream().mapToInt(Plan.WaveCounts::assigned).sum()).isZero();
    assertThat(plan.waves().stream().mapToInt(Plan.WaveCounts::skipped).sum()).isEqualTo(1);

    targets.set(
        8,
        new RolloutTarget(
            "uid-8", "pc-8", Set.of(), Progress.Assigned, true, false, false, OPEN, false, null));
    Plan seen = RolloutPlanner.plan(run(10, Limit.NONE, completed), WAVES, targets, NOW, DAY);
    assertThat(seen.phase())
        .as("while it still checks in it holds the run")
        .isEqualTo(Plan.Phase.Running);
  }

  @Test
  void aTargetThatArrivesInAnAlreadyCompletedWaveIsStillAdmitted() {
    // The canary wave completed (and soaked) before canary pc-0 reported what it lacks.
    List<RolloutTarget> targets = fleet(30, Progress.None);
    for (int i = 1; i < 5; i++) {
      targets.set(i, target(i, Progress.Succeeded));
    }
    List<Instant> completed = List.of(NOW.minus(Duration.ofDays(3)));
    Plan plan = RolloutPlanner.plan(run(30, Limit.NONE, completed), WAVES, targets, NOW, DAY);
    assertThat(plan.currentWave()).as("a later wave runs").isPositive();
    assertThat(plan.admit()).extracting(a -> a.target().uid()).contains("uid-0");
  }

  @Test
  void declaredWavesThatLeaveTargetsOutGetARemainingWave() {
    assertThat(WaveDef.complete(List.of(new WaveDef("canary", "canary", null, null))))
        .extracting(WaveDef::name)
        .containsExactly("canary", WaveDef.REMAINING);
    assertThat(WaveDef.complete(List.of())).extracting(WaveDef::percent).containsExactly(100);
  }

  @Test
  void percentWavesTakeTheirShareOfTheHashSpace() {
    List<WaveDef> waves =
        WaveDef.complete(
            List.of(
                new WaveDef("pilot", null, 10, null),
                new WaveDef("half", null, 50, null),
                new WaveDef("rest", null, 100, null)));
    int[] counts = new int[3];
    for (int i = 0; i < 10_000; i++) {
      counts[WaveDef.waveOf("uid-" + i, Set.of(), waves, "run-7")]++;
    }
    // 10% of all, then 50% of the remaining 90% (45%), then the rest (45%).
    assertThat(counts[0]).isBetween(900, 1100);
    assertThat(counts[1]).isBetween(4300, 4700);
    assertThat(counts[2]).isBetween(4300, 4700);
  }
}
