package io.patchwarden.operator.rollout;

import java.time.Instant;
import java.util.List;

/**
 * What the planner needs of the run besides its targets: recorded wave completions and accepted
 * failures (from the PatchRun status), and the gates the spec sets. Pure value.
 *
 * @param completedAt per wave, when it finished (null: not yet); recorded so soak survives restarts
 * @param acceptedFailures per wave, failures a user accepted by resuming a halted run
 * @param approved false while a Manual-approval run waits for its name in approvedRuns
 * @param paused spec.rollout.paused
 * @param dryRun an Audit-mode preview: nothing is ever assigned
 */
public record RunSnapshot(
    String run,
    List<Instant> completedAt,
    List<Integer> acceptedFailures,
    boolean approved,
    boolean paused,
    boolean dryRun,
    Limit maxConcurrent,
    Limit haltOnFailures) {

  public Instant completedAt(int wave) {
    return wave < completedAt.size() ? completedAt.get(wave) : null;
  }

  public int acceptedFailures(int wave) {
    Integer n = wave < acceptedFailures.size() ? acceptedFailures.get(wave) : null;
    return n == null ? 0 : n;
  }
}
