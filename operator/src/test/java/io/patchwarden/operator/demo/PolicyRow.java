package io.patchwarden.operator.demo;

/**
 * What the demo shows of one policy, read from its status and its current or last run.
 *
 * @param phase the current run's phase, else the last run's, else null
 * @param wave the current wave, or null
 */
record PolicyRow(
    String namespace,
    String name,
    String mode,
    int targets,
    int compliant,
    int missing,
    int failed,
    int overdue,
    int stale,
    int pendingReboot,
    boolean runInProgress,
    String run,
    String phase,
    String wave) {

  /**
   * Nothing more happens without a person or the next window: the policy was evaluated, a run has
   * been and none is in progress. What is left (failed installs, stale machines, a reboot the user
   * postpones, updates that became due after the run) is the next run's. The demo also waits until
   * the counts stop changing.
   */
  boolean settled() {
    if (targets == 0) {
      return false; // the fleet has not arrived yet
    }
    if ("Audit".equals(mode)) {
      return true;
    }
    return !runInProgress && phase != null;
  }

  /** The run waits for someone to list it in spec.approval.approvedRuns. */
  boolean waitingForApproval() {
    return "WaitingForApproval".equals(phase);
  }

  String key() {
    return namespace + "/" + name;
  }
}
