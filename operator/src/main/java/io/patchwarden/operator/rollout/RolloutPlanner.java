package io.patchwarden.operator.rollout;

import io.patchwarden.operator.rollout.Plan.Admission;
import io.patchwarden.operator.rollout.Plan.Phase;
import io.patchwarden.operator.rollout.Plan.WaveCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which targets of a run get an assignment now. Pure: the same run, targets and instant
 * give the same plan, which is what makes a restarted operator continue exactly where the last one
 * stopped.
 *
 * <p>Rules (docs/rollouts.md): waves in order, each finishing (every target succeeded, failed or
 * skipped) and soaking before the next starts; at most maxConcurrent targets hold a slot (assigned,
 * or failed and still missing updates); a target is assigned only while a window is open for it; a
 * wave whose failures exceed haltOnFailures halts the run; a paused, unapproved or dry run assigns
 * nothing; emergency targets bypass windows, wave order and soak but not maxConcurrent, halt or
 * pause.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /**
   * @param noWindowInstallTime how long an assignment outside any window (emergency, or a policy
   *     without windows) may be installed
   */
  public static Plan plan(
      RunSnapshot run,
      List<WaveDef> waves,
      List<RolloutTarget> targets,
      Instant now,
      Duration noWindowInstallTime) {
    List<List<RolloutTarget>> byWave = new ArrayList<>();
    for (int i = 0; i < waves.size(); i++) {
      byWave.add(new ArrayList<>());
    }
    int inRun = 0;
    int holdingSlots = 0;
    int inFlight = 0;
    List<RolloutTarget> failures = new ArrayList<>();
    for (RolloutTarget t : targets) {
      if (!t.inRun()) {
        continue;
      }
      inRun++;
      byWave.get(WaveDef.waveOf(t.uid(), t.groups(), waves, run.run())).add(t);
      holdingSlots += t.holdsSlot() ? 1 : 0;
      inFlight += t.progress() == Progress.Assigned && !t.skipped() ? 1 : 0;
      if (t.progress() == Progress.Failed) {
        failures.add(t);
      }
    }

    // Walk the waves in order: completed ones (recorded, or finishing now), then the current one.
    List<WaveCounts> counts = new ArrayList<>();
    int current = -1;
    Instant soakUntil = null;
    Instant previousDone = null;
    Duration previousSoak = Duration.ZERO;
    boolean reached = true;
    for (int i = 0; i < waves.size(); i++) {
      List<RolloutTarget> members = byWave.get(i);
      Instant completed = run.completedAt(i);
      Instant soakEnd = previousDone == null ? null : previousDone.plus(previousSoak);
      boolean soaking = soakEnd != null && now.isBefore(soakEnd);
      if (reached && current < 0) {
        if (completed == null && !soaking && members.stream().allMatch(RolloutTarget::finished)) {
          completed = now;
        }
        if (completed == null) {
          current = i;
          soakUntil = soaking ? soakEnd : null;
        }
      }
      if (completed == null) {
        reached = false;
      }
      counts.add(
          count(
              waves.get(i),
              members,
              completed,
              completed == null ? null : completed.plus(waves.get(i).soak())));
      previousDone = completed;
      previousSoak = waves.get(i).soak();
    }

    int halted = -1;
    if (run.haltOnFailures().isSet()) {
      for (int i = 0; i <= (current < 0 ? waves.size() - 1 : current); i++) {
        WaveCounts c = counts.get(i);
        if (c.failed() - run.acceptedFailures(i) > run.haltOnFailures().resolve(c.targets(), 0)) {
          halted = i;
          break;
        }
      }
    }

    boolean anyFailed = !failures.isEmpty();
    Phase phase;
    if (run.dryRun()) {
      phase = Phase.DryRun;
    } else if (!run.approved()) {
      phase = Phase.WaitingForApproval;
    } else if (current < 0 && inFlight == 0) {
      phase = anyFailed ? Phase.Failed : Phase.Succeeded;
    } else if (halted >= 0) {
      phase = Phase.Halted;
    } else if (run.paused()) {
      phase = Phase.Paused;
    } else if (soakUntil != null) {
      phase = Phase.Soaking;
    } else {
      phase = Phase.Running;
    }

    List<Admission> admit = new ArrayList<>();
    boolean mayAssign = phase == Phase.Running || phase == Phase.Soaking;
    if (mayAssign) {
      int budget = run.maxConcurrent().resolve(inRun, 1) - holdingSlots;
      // Emergencies first: outside windows, ahead of wave order and soak, within the budget.
      for (RolloutTarget t : ordered(targets, run.run())) {
        if (budget <= 0) {
          break;
        }
        if (t.progress() == Progress.None && t.needsEmergency() && !t.stale()) {
          Instant until = t.window() != null ? t.window().end() : now.plus(noWindowInstallTime);
          admit.add(new Admission(t, until, true));
          budget--;
        }
      }
      if (phase == Phase.Running && current >= 0) {
        // Earlier waves too: a target that came to need the baseline after its wave completed
        // (enrolled, or reported its inventory, late) has passed that wave's gate.
        List<RolloutTarget> open = new ArrayList<>();
        for (int i = 0; i <= current; i++) {
          open.addAll(ordered(byWave.get(i), run.run()));
        }
        for (RolloutTarget t : open) {
          if (budget <= 0) {
            break;
          }
          if (t.progress() == Progress.None
              && t.needsBaseline()
              && !t.needsEmergency()
              && !t.skipped()
              && t.window() != null) {
            admit.add(new Admission(t, t.window().end(), false));
            budget--;
          }
        }
      }
      if (phase == Phase.Running
          && admit.isEmpty()
          && inFlight == 0
          && current >= 0
          && counts.get(current).pending() > 0) {
        phase = Phase.WaitingForWindow;
      }
    }
    return new Plan(
        List.copyOf(admit),
        List.copyOf(counts),
        current,
        phase,
        halted,
        List.copyOf(failures),
        soakUntil);
  }

  /** A stable order within the run, so that restarts pick the same targets first. */
  private static List<RolloutTarget> ordered(List<RolloutTarget> targets, String run) {
    return targets.stream()
        .sorted(
            Comparator.comparingDouble((RolloutTarget t) -> WaveDef.hash(t.uid(), run))
                .thenComparing(RolloutTarget::uid))
        .toList();
  }

  private static WaveCounts count(
      WaveDef wave, List<RolloutTarget> members, Instant completed, Instant soakUntil) {
    int pending = 0;
    int assigned = 0;
    int succeeded = 0;
    int failed = 0;
    int skipped = 0;
    for (RolloutTarget t : members) {
      switch (t.progress()) {
        case Assigned -> {
          if (t.skipped()) {
            skipped++;
          } else {
            assigned++;
          }
        }
        case Succeeded -> succeeded++;
        case Failed -> failed++;
        case Skipped -> skipped++;
        case None -> {
          if (t.skipped()) {
            skipped++;
          } else if (t.needsBaseline() || t.needsEmergency()) {
            pending++;
          }
        }
      }
    }
    return new WaveCounts(
        wave.name(),
        members.size(),
        pending,
        assigned,
        succeeded,
        failed,
        skipped,
        completed,
        soakUntil);
  }
}
