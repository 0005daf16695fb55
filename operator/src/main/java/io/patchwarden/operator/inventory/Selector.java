package io.patchwarden.operator.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes label selector (metav1.LabelSelector) as a plain value, with the API server's
 * matching semantics: every matchLabels entry and every requirement must hold. An empty selector
 * matches everything; "no selector" (select nothing) is the absence of a Selector, not a value of
 * it. Pure: no Kubernetes client types.
 */
public record Selector(Map<String, String> matchLabels, List<Requirement> requirements) {

  /** The empty selector {}: matches every label set. */
  public static final Selector EVERYTHING = new Selector(Map.of(), List.of());

  public Selector {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    requirements = requirements == null ? List.of() : List.copyOf(requirements);
  }

  public static Selector of(Map<String, String> matchLabels, Requirement... requirements) {
    return new Selector(matchLabels, List.of(requirements));
  }

  /** Whether an object with these labels (null means none) is selected. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> present = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(present.get(wanted.getKey()))) {
        return false;
      }
    }
    for (Requirement requirement : requirements) {
      if (!requirement.matches(present)) {
        return false;
      }
    }
    return true;
  }

  /** The operators of a metav1.LabelSelectorRequirement. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  /**
   * One matchExpressions entry. In and NotIn need at least one value; Exists and DoesNotExist take
   * none (as the API server validates LabelSelectors).
   */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      Objects.requireNonNull(operator, "operator");
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("a requirement needs a key");
      }
      values = values == null ? Set.of() : Set.copyOf(values);
      boolean needsValues = operator == Operator.In || operator == Operator.NotIn;
      if (needsValues && values.isEmpty()) {
        throw new IllegalArgumentException(operator + " needs at least one value");
      }
      if (!needsValues && !values.isEmpty()) {
        throw new IllegalArgumentException(operator + " takes no values");
      }
    }

    public static Requirement in(String key, String... values) {
      return new Requirement(key, Operator.In, Set.of(values));
    }

    public static Requirement notIn(String key, String... values) {
      return new Requirement(key, Operator.NotIn, Set.of(values));
    }

    public static Requirement exists(String key) {
      return new Requirement(key, Operator.Exists, Set.of());
    }

    public static Requirement doesNotExist(String key) {
      return new Requirement(key, Operator.DoesNotExist, Set.of());
    }

    /**
     * Kubernetes semantics: In needs the key present with one of the values; NotIn holds when the
     * key is absent or its value is none of them.
     */
    public boolean matches(Map<String, String> labels) {
      Map<String, String> present = labels == null ? Map.of() : labels;
      boolean has = present.containsKey(key);
      return switch (operator) {
        case In -> has && values.contains(present.get(key));
        case NotIn -> !has || !values.contains(present.get(key));
        case Exists -> has;
        case DoesNotExist -> !has;
      };
    }
  }
}
