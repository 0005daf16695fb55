package io.patchwarden.operator.demo;

import io.patchwarden.api.policy.ComplianceStateCounts;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.api.policy.RolloutProgress;
import io.patchwarden.api.run.PatchRun;
import java.util.Map;

/** Reads a {@link PolicyRow} off a policy's status and its runs. */
final class DemoRows {
  private DemoRows() {}

  static PolicyRow row(PatchPolicy policy, Map<String, PatchRun> runs) {
    PatchPolicyStatus status = policy.getStatus();
    ComplianceStateCounts states = status == null ? null : status.getStates();
    RolloutProgress rollout = status == null ? null : status.getRollout();
    String run = null;
    String phase = null;
    String wave = null;
    if (rollout != null && rollout.getRun() != null) {
      run = rollout.getRun();
      wave = rollout.getWave();
      PatchRun current = runs.get(run);
      phase =
          current == null || current.getStatus() == null || current.getStatus().getPhase() == null
              ? "Pending"
              : current.getStatus().getPhase().name();
    } else if (status != null && status.getLastRun() != null) {
      run = status.getLastRun().getName();
      phase = status.getLastRun().getPhase() == null ? null : status.getLastRun().getPhase().name();
    }
    return new PolicyRow(
        policy.getMetadata().getNamespace(),
        policy.getMetadata().getName(),
        policy.getSpec().getMode() == null ? "Enforce" : policy.getSpec().getMode().name(),
        status == null || status.getTargets() == null ? 0 : status.getTargets(),
        states == null ? 0 : n(states.getCompliant()) + n(states.getNotApplicable()),
        states == null ? 0 : n(states.getMissing()),
        states == null ? 0 : n(states.getFailed()),
        states == null ? 0 : n(states.getOverdue()),
        states == null ? 0 : n(states.getStale()),
        states == null ? 0 : n(states.getPendingReboot()),
        rollout != null && rollout.getRun() != null,
        run,
        phase,
        wave);
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
