package io.patchwarden.operator.inventory;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

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

  /**
   * The value of a selector, or null when it is absent or invalid: an invalid selector selects
   * nothing, and the status of the object that holds it says why.
   */
  public static Selector orNull(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    try {
      return from(selector);
    } catch (IllegalArgumentException invalid) {
      return null;
    }
  }

  /**
   * One kind of selector of each group (endpoints or nodes), converted once per pass; groups
   * without it, or with an invalid one, are left out.
   */
  public static Map<String, Selector> ofGroups(
      Map<String, EndpointGroup> groups, Function<EndpointGroupSpec, LabelSelector> which) {
    Map<String, Selector> selectors = new HashMap<>();
    groups.forEach(
        (name, g) -> {
          Selector s = g.getSpec() == null ? null : orNull(which.apply(g.getSpec()));
          if (s != null) {
            selectors.put(name, s);
          }
        });
    return selectors;
  }

  /** The names of the selectors that match these labels. */
  public static Set<String> matching(Map<String, Selector> selectors, Map<String, String> labels) {
    Set<String> names = new HashSet<>();
    selectors.forEach(
        (name, s) -> {
          if (s.matches(labels)) {
            names.add(name);
          }
        });
    return names;
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
