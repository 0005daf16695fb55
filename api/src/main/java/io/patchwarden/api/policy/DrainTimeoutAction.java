package io.patchwarden.api.policy;

/** What to do when a drain does not finish in time. */
public enum DrainTimeoutAction {
  /** Mark the node Failed (it stays cordoned unless onFailure says otherwise). */
  Fail,
  /** Leave the node unpatched for this run and uncordon it. */
  Skip,
  /** Delete the remaining pods without the Eviction API (ignores PodDisruptionBudgets). */
  Force
}
