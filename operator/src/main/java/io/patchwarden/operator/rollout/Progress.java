package io.patchwarden.operator.rollout;

/** Where one target stands in one run, derived from what the API holds (crash-safe). */
public enum Progress {
  /** Not assigned in this run. */
  None,
  /** Assigned in this run; no result yet. */
  Assigned,
  /** Reported a result for this run without failures. */
  Succeeded,
  /** Reported a result for this run with a failed update. */
  Failed,
  /** Left out of this run after it was admitted (a node whose drain timed out with Skip). */
  Skipped
}
