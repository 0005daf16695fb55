package io.patchwarden.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the evaluation core knows about one endpoint target. Pure value, built by the shell from a
 * ManagedEndpoint.
 *
 * @param name the target's name, for messages
 * @param reported whether the agent has reported an inventory at all
 * @param updates its pending updates (empty when none or not reported)
 * @param rebootRequired whether installed updates wait for a reboot
 * @param lastSeen its last check-in, or null if never
 * @param staleAfter how long it may go unseen before its state counts as unknown
 * @param failedUpdates ids of updates whose last installation attempt failed
 * @param inventoryProblem why its inventory cannot be read, or null when it can
 */
public record TargetFacts(
    String name,
    boolean reported,
    List<Update> updates,
    boolean rebootRequired,
    Instant lastSeen,
    Duration staleAfter,
    Set<String> failedUpdates,
    String inventoryProblem) {

  public TargetFacts {
    updates = updates == null ? List.of() : List.copyOf(updates);
    failedUpdates = failedUpdates == null ? Set.of() : Set.copyOf(failedUpdates);
  }

  /** A target whose inventory cannot be read; it is evaluated as Failed with this reason. */
  public static TargetFacts unreadable(
      String name, Instant lastSeen, Duration staleAfter, String problem) {
    return new TargetFacts(name, true, List.of(), false, lastSeen, staleAfter, Set.of(), problem);
  }
}
