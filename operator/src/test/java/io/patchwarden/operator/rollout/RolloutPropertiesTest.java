package io.patchwarden.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.operator.window.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Simulates whole runs against the planner: at each step some assigned targets report a result, the
 * planner plans, its admissions are applied. Whatever the fleet, limits and failure rate, the rules
 * hold at every step.
 */
class RolloutPropertiesTest {
  private static final Instant START = Instant.parse("2026-11-23T20:00:00Z");
  private static final Interval OPEN =
      new Interval(START.minusSeconds(60), START.plus(Duration.ofDays(30)));

  @Property(tries = 200)
  void aSimulatedRunKeepsEveryRule(
      @ForAll @IntRange(min = 1, max = 120) int size,
      @ForAll @IntRange(min = 1, max = 15) int maxConcurrent,
      @ForAll @DoubleRange(min = 0, max = 0.5) double failureRate,
      @ForAll @IntRange(min = 0, max = 5) int canary,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<WaveDef> waves =
        WaveDef.complete(
            List.of(
                new WaveDef("canary", "canary", null, Duration.ofHours(1)),
                new WaveDef("pilot", null, 20, null),
                new WaveDef("all", null, 100, null)));
    Map<String, RolloutTarget> targets = new HashMap<>();
    for (int i = 0; i < size; i++) {
      targets.put(
          "u" + i,
          new RolloutTarget(
              "u" + i,
              "t" + i,
              i < canary ? Set.of("canary") : Set.of(),
              Progress.None,
              true,
              false,
              random.nextDouble() < 0.05,
              OPEN,
              false,
              null));
    }
    List<Instant> completed = new ArrayList<>();
    Instant now = START;
    int highestWaveAssigned = -1;
    for (int step = 0; step < 10 * size + 50; step++) {
      RunSnapshot run =
          new RunSnapshot(
              "run",
              completed,
              List.of(),
              true,
              false,
              false,
              new Limit(maxConcurrent, null),
              Limit.NONE);
      Plan plan =
          RolloutPlanner.plan(run, waves, List.copyOf(targets.values()), now, Duration.ofDays(1));
      // Deterministic: the same inputs give the same plan.
      assertThat(
              RolloutPlanner.plan(
                  run, waves, List.copyOf(targets.values()), now, Duration.ofDays(1)))
          .isEqualTo(plan);
      completed = new ArrayList<>();
      for (Plan.WaveCounts c : plan.waves()) {
        completed.add(c.completedAt());
      }
      for (Plan.Admission a : plan.admit()) {
        RolloutTarget t = a.target();
        assertThat(t.stale()).isFalse();
        int wave = WaveDef.waveOf(t.uid(), t.groups(), waves, "run");
        assertThat(wave).as("assigned in the current wave").isEqualTo(plan.currentWave());
        assertThat(wave).as("waves never go back").isGreaterThanOrEqualTo(highestWaveAssigned);
        for (int earlier = 0; earlier < wave; earlier++) {
          assertThat(completed.get(earlier)).as("earlier waves completed").isNotNull();
        }
        highestWaveAssigned = wave;
        targets.put(t.uid(), with(t, Progress.Assigned));
      }
      long holding = targets.values().stream().filter(RolloutTarget::holdsSlot).count();
      assertThat(holding).as("slots held").isLessThanOrEqualTo(Math.max(maxConcurrent, 0));
      if (plan.finished()) {
        assertThat(targets.values()).allSatisfy(t -> assertThat(t.finished()).isTrue());
        return;
      }
      // Time passes; some assigned targets report.
      now = now.plus(Duration.ofMinutes(10));
      for (RolloutTarget t : List.copyOf(targets.values())) {
        if (t.progress() == Progress.Assigned && random.nextBoolean()) {
          boolean failed = random.nextDouble() < failureRate;
          // A failed target keeps missing its updates (holds its slot), a succeeded one is done.
          targets.put(
              t.uid(),
              new RolloutTarget(
                  t.uid(),
                  t.name(),
                  t.groups(),
                  failed ? Progress.Failed : Progress.Succeeded,
                  failed,
                  false,
                  t.stale(),
                  OPEN,
                  false,
                  failed ? "x" : null));
        }
      }
      if (targets.values().stream().filter(RolloutTarget::holdsSlot).count() >= maxConcurrent
          && targets.values().stream().noneMatch(t -> t.progress() == Progress.Assigned)) {
        return; // failed targets hold every slot: the run cannot progress (as MCO would), fine
      }
    }
    throw new AssertionError("the run did not finish");
  }

  private static RolloutTarget with(RolloutTarget t, Progress p) {
    return new RolloutTarget(
        t.uid(),
        t.name(),
        t.groups(),
        p,
        t.needsBaseline(),
        t.needsEmergency(),
        t.stale(),
        t.window(),
        t.windowBeyondDeadline(),
        t.failure());
  }
}
