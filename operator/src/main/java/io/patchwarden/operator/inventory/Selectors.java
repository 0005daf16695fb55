package io.patchwarden.operator.inventory;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Converts Fabric8 label selectors into {@link Selector} values (the shell side of matching). */
public final class Selectors {
  private Selectors() {}

  /**
   * The value of a selector that {@link EndpointGroupValidator} accepted.
   *
   * @throws IllegalArgumentException for a selector the validator would reject (an unknown
   *     operator, values with Exists, none with In) or one with a null label value
   */
  public static Selector from(LabelSelector selector) {
    Objects.requireNonNull(selector, "selector");
    Map<String, String> labels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    if (labels.containsKey(null) || labels.containsValue(null)) {
      throw new IllegalArgumentException("matchLabels must not hold null keys or values");
    }
    List<Selector.Requirement> requirements = new ArrayList<>();
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        requirements.add(requirement(r));
      }
    }
    return new Selector(labels, requirements);
  }

  private static Selector.Requirement requirement(LabelSelectorRequirement r) {
    Selector.Operator operator;
    try {
      operator = Selector.Operator.valueOf(String.valueOf(r.getOperator()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown operator '" + r.getOperator() + "'", e);
    }
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    if (values.contains(null)) {
      throw new IllegalArgumentException("values must not hold null");
    }
    return new Selector.Requirement(r.getKey(), operator, Set.copyOf(values));
  }
}
