package io.patchwarden.operator.status;

import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.operator.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects the conditions of one reconcile and merges them with the previous ones: a condition
 * keeps its lastTransitionTime unless its status or reason changed, and every condition carries the
 * generation it was computed from. Pure: no clock, no client.
 *
 * <p>kstatus rules: Ready is always present; Reconciling and Stalled are "abnormal-true": set them
 * only while they are true.
 */
public final class StatusAggregator {
  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final Map<String, Condition> next = new LinkedHashMap<>();

  public StatusAggregator(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = Timestamps.format(now);
  }

  /** Ready=True. */
  public StatusAggregator ready(Reason reason, String message) {
    return set(ConditionType.Ready.name(), ConditionStatus.TRUE, reason.name(), message);
  }

  /**
   * Ready=False and Stalled=True for problems that only a spec change can fix; the message lists
   * every problem (first the field) so one kubectl describe shows them all.
   */
  public StatusAggregator invalid(List<SpecProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("invalid() needs at least one problem");
    }
    String reason = problems.get(0).reason().name();
    String message = String.join("; ", problems.stream().map(SpecProblem::describe).toList());
    set(ConditionType.Ready.name(), ConditionStatus.FALSE, reason, message);
    return set(ConditionType.Stalled.name(), ConditionStatus.TRUE, reason, message);
  }

  /** Any other condition type. */
  public StatusAggregator set(String type, ConditionStatus status, String reason, String message) {
    Condition old = find(type);
    String transition =
        old != null && old.getStatus() == status && Objects.equals(old.getReason(), reason)
            ? old.getLastTransitionTime()
            : now;
    next.put(type, new Condition(type, status, reason, message, transition, generation));
    return this;
  }

  /**
   * The conditions of this reconcile, Ready first. The reconciler of a kind owns its whole
   * condition list, so a condition not set in this reconcile is gone (for kstatus' Reconciling and
   * Stalled, absence means False).
   */
  public List<Condition> build() {
    Condition ready = next.get(ConditionType.Ready.name());
    if (ready == null) {
      throw new IllegalStateException("Ready must be set in every reconcile");
    }
    List<Condition> result = new ArrayList<>();
    result.add(ready);
    next.values().stream().filter(c -> c != ready).forEach(result::add);
    return result;
  }

  private Condition find(String type) {
    for (Condition c : previous) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }
}
