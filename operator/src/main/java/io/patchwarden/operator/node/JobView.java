package io.patchwarden.operator.node;

/**
 * What a node's patch or reboot Job says now. Pure value.
 *
 * @param message the Job's failure message, or its pod's termination message once succeeded
 * @param rebootRequested the patch Job's termination message asks for a reboot
 */
public record JobView(Phase phase, String message, boolean rebootRequested) {

  public enum Phase {
    /** Not created yet (or not in the cache yet). */
    Missing,
    Running,
    Succeeded,
    Failed
  }

  public static final JobView MISSING = new JobView(Phase.Missing, null, false);
  public static final JobView RUNNING = new JobView(Phase.Running, null, false);
}
