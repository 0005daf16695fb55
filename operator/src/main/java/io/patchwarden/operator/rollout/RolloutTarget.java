package io.patchwarden.operator.rollout;

import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.window.Interval;
import java.util.Set;

/**
 * What the planner knows about one target in the current run. Pure value, derived by the shell from
 * the API (assignment, last result, compliance, window state).
 *
 * @param uid stable identity (hashing for percentage waves)
 * @param groups the names of the EndpointGroups selecting it (for group waves)
 * @param needsBaseline it misses updates of the run's baseline
 * @param needsEmergency it misses updates that may bypass windows and soak
 * @param stale not seen within its staleAfter: skipped, never assigned; an endpoint that turns
 *     stale after its assignment is skipped too
 * @param window the window occurrence open for it now, or null when none is
 * @param windowBeyondDeadline no window opens for it before its deadline: it would hold its wave up
 *     for nothing, so it is skipped
 * @param failure why it failed, when its progress is Failed
 * @param kind a Node or an Endpoint
 * @param failureReason the machine-readable reason of the failure (UpperCamelCase), or null
 */
public record RolloutTarget(
    String uid,
    String name,
    Set<String> groups,
    Progress progress,
    boolean needsBaseline,
    boolean needsEmergency,
    boolean stale,
    Interval window,
    boolean windowBeyondDeadline,
    String failure,
    TargetKind kind,
    String failureReason) {

  public RolloutTarget {
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  /** An endpoint target. */
  public RolloutTarget(
      String uid,
      String name,
      Set<String> groups,
      Progress progress,
      boolean needsBaseline,
      boolean needsEmergency,
      boolean stale,
      Interval window,
      boolean windowBeyondDeadline,
      String failure) {
    this(
        uid,
        name,
        groups,
        progress,
        needsBaseline,
        needsEmergency,
        stale,
        window,
        windowBeyondDeadline,
        failure,
        TargetKind.Endpoint,
        null);
  }

  /** Whether it takes part in the run: it needs the baseline or the run already touched it. */
  boolean inRun() {
    return needsBaseline || needsEmergency || progress != Progress.None;
  }

  /** Whether it is done as far as its wave is concerned. */
  boolean finished() {
    return progress == Progress.Succeeded
        || progress == Progress.Failed
        || skipped()
        || (progress == Progress.None && !needsBaseline);
  }

  /**
   * Stale targets are skipped, also when they went silent after their assignment (a laptop shut
   * mid-install): otherwise one absent machine would hold its wave, and the run, until the window
   * closes. When it comes back it reports what it installed, and the next run covers the rest. Not
   * nodes: a node in flight is cordoned, so it keeps its slot of maxConcurrent whatever it reports.
   */
  boolean skipped() {
    return progress == Progress.Skipped
        || (progress == Progress.None && (stale || windowBeyondDeadline))
        || (progress == Progress.Assigned && goneSilent());
  }

  /** A failed target still missing updates holds a slot of maxConcurrent, as MCO counts it. */
  boolean holdsSlot() {
    return (progress == Progress.Assigned && !goneSilent())
        || (progress == Progress.Failed && needsBaseline);
  }

  private boolean goneSilent() {
    return stale && kind == TargetKind.Endpoint;
  }
}
