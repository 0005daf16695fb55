package io.patchwarden.operator.rollout;

/** Reasons of the Kubernetes Events Patchwarden records on a PatchPolicy about its runs. */
public enum RunEvent implements EventReason {
  RunStarted(false),
  WaitingForApproval(false),
  WaveStarted(false),
  RunHalted(true),
  RunResumed(false),
  RunSucceeded(false),
  RunFailed(true),
  RunCancelled(false);

  private final boolean warning;

  RunEvent(boolean warning) {
    this.warning = warning;
  }

  @Override
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
