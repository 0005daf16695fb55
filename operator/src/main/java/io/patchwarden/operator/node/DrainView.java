package io.patchwarden.operator.node;

import java.util.List;

/**
 * The pods still in the way of a drain after this pass's evictions. Pure value.
 *
 * @param remaining pods that must leave before the node counts as drained (evicted ones still
 *     terminating, ones a PodDisruptionBudget protects for now, ones that cannot be evicted)
 * @param refused how many of them the API refused to evict (a budget, emptyDir data): retried less
 *     often than pods that are merely terminating
 * @param examples a few of their names with why, for messages
 */
public record DrainView(int remaining, int refused, List<String> examples) {
  public static final DrainView EMPTY = new DrainView(0, 0, List.of());

  public DrainView {
    examples = List.copyOf(examples);
  }
}
