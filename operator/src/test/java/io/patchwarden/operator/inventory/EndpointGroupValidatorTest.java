package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointGroupValidatorTest {

  private static EndpointGroupSpec withEndpointExpression(String operator, String... values) {
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setEndpointSelector(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("patchwarden.io/role")
            .withOperator(operator)
            .withValues(values)
            .endMatchExpression()
            .build());
    return spec;
  }

  @Test
  void validSelectorsPass() {
    assertThat(EndpointGroupValidator.validate(withEndpointExpression("In", "laptop"))).isEmpty();
    assertThat(EndpointGroupValidator.validate(withEndpointExpression("Exists"))).isEmpty();
    EndpointGroupSpec nodes = new EndpointGroupSpec();
    nodes.setNodeSelector(new LabelSelectorBuilder().build());
    nodes.setStaleAfter("7d");
    assertThat(EndpointGroupValidator.validate(nodes)).isEmpty();
  }

  @Test
  void unknownOperatorIsNamed() {
    List<SpecProblem> problems =
        EndpointGroupValidator.validate(withEndpointExpression("Equals", "laptop"));
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).reason()).isEqualTo(Reason.InvalidSelector);
    assertThat(problems.get(0).field())
        .isEqualTo("spec.endpointSelector.matchExpressions[0].operator");
  }

  @Test
  void anExpressionWithoutOperatorIsNamedInsteadOfThrowing() {
    // Found by GroupSpecFuzzPropertiesTest: the schema admits matchExpressions: [{}], and
    // Set.of(...).contains(null) threw a NullPointerException out of reconcile.
    List<SpecProblem> problems = EndpointGroupValidator.validate(withEndpointExpression(null));

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.InvalidSelector);
              assertThat(p.field()).isEqualTo("spec.endpointSelector.matchExpressions[0].operator");
            });
  }

  @Test
  void aStaleAfterTooLargeForAnInstantIsNamed() {
    EndpointGroupSpec spec = withEndpointExpression("Exists");
    spec.setStaleAfter("9819162196274h");

    assertThat(EndpointGroupValidator.validate(spec))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.InvalidDuration);
              assertThat(p.field()).isEqualTo("spec.staleAfter");
              assertThat(p.message()).contains("too large");
            });
  }

  @Test
  void inWithoutValuesAndExistsWithValuesAreRejected() {
    assertThat(EndpointGroupValidator.validate(withEndpointExpression("In")))
        .extracting(SpecProblem::field)
        .containsExactly("spec.endpointSelector.matchExpressions[0].values");
    assertThat(EndpointGroupValidator.validate(withEndpointExpression("DoesNotExist", "x")))
        .extracting(SpecProblem::field)
        .containsExactly("spec.endpointSelector.matchExpressions[0].values");
  }

  @Test
  void aGroupMustSelectSomething() {
    assertThat(EndpointGroupValidator.validate(new EndpointGroupSpec()))
        .extracting(SpecProblem::reason)
        .containsExactly(Reason.InvalidSelector);
  }

  @Test
  void staleAfterMustBeAUsableDuration() {
    EndpointGroupSpec spec = withEndpointExpression("Exists");
    spec.setStaleAfter("30s");
    assertThat(EndpointGroupValidator.validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly("spec.staleAfter");
  }
}
