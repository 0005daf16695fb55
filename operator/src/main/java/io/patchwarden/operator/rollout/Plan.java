package io.patchwarden.operator.rollout;

import java.time.Instant;
import java.util.List;

/**
 * The planner's decision for one pass. Pure value.
 *
 * @param admit targets to assign now, in order
 * @param waves per wave: counts, and when it completed (carried over or completed now)
 * @param currentWave the index of the wave in progress; -1 once every wave finished
 * @param phase where the run stands after this pass
 * @param halted the index of the wave whose failures exceeded haltOnFailures, or -1
 * @param failures failed targets (all of them; the shell lists the first few)
 * @param nextChange when the plan may change by time alone (a soak ends, a window opens or closes),
 *     or null
 */
public record Plan(
    List<Admission> admit,
    List<WaveCounts> waves,
    int currentWave,
    Phase phase,
    int halted,
    List<RolloutTarget> failures,
    Instant nextChange) {

  /** A target admitted now, and until when it may install. */
  public record Admission(RolloutTarget target, Instant installUntil, boolean emergency) {}

  /** Counts of one wave. */
  public record WaveCounts(
      String name,
      int targets,
      int pending,
      int assigned,
      int succeeded,
      int failed,
      int skipped,
      Instant completedAt,
      Instant soakUntil) {}

  /** The run's phase as the planner sees it. */
  public enum Phase {
    WaitingForApproval,
    WaitingForWindow,
    Running,
    Soaking,
    Paused,
    Halted,
    DryRun,
    Succeeded,
    Failed
  }

  public boolean finished() {
    return phase == Phase.Succeeded || phase == Phase.Failed;
  }
}
