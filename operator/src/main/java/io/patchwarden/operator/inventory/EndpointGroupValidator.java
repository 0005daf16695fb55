package io.patchwarden.operator.inventory;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks what the CRD schema cannot: label selector operators and values (the schema of
 * metav1.LabelSelector leaves them free-form) and the staleness threshold.
 */
public final class EndpointGroupValidator {
  private static final Set<String> SET_OPERATORS = Set.of("In", "NotIn");
  private static final Set<String> EXISTENCE_OPERATORS = Set.of("Exists", "DoesNotExist");

  private EndpointGroupValidator() {}

  public static List<SpecProblem> validate(EndpointGroupSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(new SpecProblem(Reason.MissingSpec, "spec", "is missing"));
      return problems;
    }
    if (spec.getNodeSelector() == null && spec.getEndpointSelector() == null) {
      problems.add(
          new SpecProblem(
              Reason.InvalidSelector,
              "spec",
              "set nodeSelector, endpointSelector or both; a group must select something"));
    }
    checkSelector(spec.getNodeSelector(), "spec.nodeSelector", problems);
    checkSelector(spec.getEndpointSelector(), "spec.endpointSelector", problems);
    if (spec.getStaleAfter() != null) {
      try {
        if (Durations.parse(spec.getStaleAfter()).compareTo(Duration.ofMinutes(1)) < 0) {
          problems.add(
              new SpecProblem(Reason.InvalidDuration, "spec.staleAfter", "must be at least 1m"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem(Reason.InvalidDuration, "spec.staleAfter", e.getMessage()));
      }
    }
    return problems;
  }

  private static void checkSelector(
      LabelSelector selector, String field, List<SpecProblem> problems) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (r.getKey() == null || r.getKey().isBlank()) {
        problems.add(new SpecProblem(Reason.InvalidSelector, at + ".key", "is missing"));
      }
      if (r.getOperator() == null) {
        // Set.of(...).contains(null) throws: the schema lets an expression omit its operator.
        problems.add(
            new SpecProblem(
                Reason.InvalidSelector,
                at + ".operator",
                "is missing; use In, NotIn, Exists or DoesNotExist"));
      } else if (SET_OPERATORS.contains(r.getOperator())) {
        if (!hasValues) {
          problems.add(
              new SpecProblem(
                  Reason.InvalidSelector,
                  at + ".values",
                  "must not be empty with operator " + r.getOperator()));
        }
      } else if (EXISTENCE_OPERATORS.contains(r.getOperator())) {
        if (hasValues) {
          problems.add(
              new SpecProblem(
                  Reason.InvalidSelector,
                  at + ".values",
                  "must be empty with operator " + r.getOperator()));
        }
      } else {
        problems.add(
            new SpecProblem(
                Reason.InvalidSelector,
                at + ".operator",
                "'" + r.getOperator() + "' is not one of In, NotIn, Exists, DoesNotExist"));
      }
    }
  }
}
