package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.patchwarden.operator.inventory.Selector.Operator;
import io.patchwarden.operator.inventory.Selector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SelectorTest {
  private static final Map<String, String> LAPTOP =
      Map.of("patchwarden.io/role", "laptop", "site", "berlin");

  // --- Examples, one per operator and per edge ---

  @Test
  void matchLabelsNeedEveryPairPresentWithItsValue() {
    assertThat(Selector.of(Map.of("patchwarden.io/role", "laptop")).matches(LAPTOP)).isTrue();
    assertThat(Selector.of(LAPTOP).matches(LAPTOP)).isTrue();
    assertThat(Selector.of(Map.of("patchwarden.io/role", "server")).matches(LAPTOP)).isFalse();
    assertThat(Selector.of(Map.of("tier", "gold")).matches(LAPTOP)).as("absent key").isFalse();
    assertThat(Selector.of(Map.of("site", "")).matches(Map.of("site", ""))).isTrue();
    assertThat(Selector.of(Map.of("site", "")).matches(Map.of())).isFalse();
  }

  @Test
  void inNeedsTheKeyWithOneOfTheValues() {
    assertThat(Requirement.in("site", "berlin", "paris").matches(LAPTOP)).isTrue();
    assertThat(Requirement.in("site", "paris").matches(LAPTOP)).isFalse();
    assertThat(Requirement.in("tier", "gold").matches(LAPTOP)).as("absent key").isFalse();
  }

  @Test
  void notInHoldsWhenTheKeyIsAbsentOrHasAnotherValue() {
    assertThat(Requirement.notIn("site", "paris").matches(LAPTOP)).isTrue();
    assertThat(Requirement.notIn("site", "berlin", "paris").matches(LAPTOP)).isFalse();
    assertThat(Requirement.notIn("tier", "gold").matches(LAPTOP)).as("absent key").isTrue();
  }

  @Test
  void existsAndDoesNotExistLookOnlyAtTheKey() {
    assertThat(Requirement.exists("site").matches(LAPTOP)).isTrue();
    assertThat(Requirement.exists("tier").matches(LAPTOP)).isFalse();
    assertThat(Requirement.doesNotExist("site").matches(LAPTOP)).isFalse();
    assertThat(Requirement.doesNotExist("tier").matches(LAPTOP)).isTrue();
    assertThat(Requirement.exists("site").matches(Map.of("site", ""))).isTrue();
  }

  @Test
  void theEmptySelectorMatchesEverythingIncludingNoLabels() {
    assertThat(Selector.EVERYTHING.matches(LAPTOP)).isTrue();
    assertThat(Selector.EVERYTHING.matches(Map.of())).isTrue();
    assertThat(Selector.EVERYTHING.matches(null)).isTrue();
    assertThat(new Selector(null, null)).isEqualTo(Selector.EVERYTHING);
  }

  @Test
  void labelsAndExpressionsMustAllHold() {
    Selector laptopsOutsideParis =
        Selector.of(
            Map.of("patchwarden.io/role", "laptop"),
            Requirement.notIn("site", "paris"),
            Requirement.doesNotExist("patchwarden.io/excluded"));
    assertThat(laptopsOutsideParis.matches(LAPTOP)).isTrue();
    assertThat(laptopsOutsideParis.matches(Map.of("patchwarden.io/role", "laptop"))).isTrue();
    assertThat(
            laptopsOutsideParis.matches(Map.of("patchwarden.io/role", "laptop", "site", "paris")))
        .isFalse();
    assertThat(
            laptopsOutsideParis.matches(
                Map.of("patchwarden.io/role", "laptop", "patchwarden.io/excluded", "true")))
        .isFalse();
    assertThat(laptopsOutsideParis.matches(Map.of("site", "berlin"))).isFalse();
  }

  @Test
  void contradictoryRequirementsMatchNothing() {
    Selector never = Selector.of(Map.of(), Requirement.exists("a"), Requirement.doesNotExist("a"));
    assertThat(never.matches(Map.of())).isFalse();
    assertThat(never.matches(Map.of("a", "x"))).isFalse();
  }

  @Test
  void malformedRequirementsCannotBeBuilt() {
    assertThatThrownBy(() -> new Requirement("a", Operator.In, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Requirement("a", Operator.NotIn, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Requirement("a", Operator.Exists, Set.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Requirement(" ", Operator.Exists, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void selectorsAreImmutableValues() {
    var labels = new java.util.HashMap<>(Map.of("a", "x"));
    var requirements = new java.util.ArrayList<>(List.of(Requirement.exists("b")));
    Selector selector = new Selector(labels, requirements);
    labels.put("c", "z");
    requirements.clear();
    assertThat(selector).isEqualTo(Selector.of(Map.of("a", "x"), Requirement.exists("b")));
  }

  // --- Conversion from Fabric8 (the shell) ---

  @Test
  void convertsAFabric8Selector() {
    LabelSelector fabric8 =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("patchwarden.io/role", "laptop"))
            .addNewMatchExpression()
            .withKey("site")
            .withOperator("NotIn")
            .withValues("paris", "paris", "rome")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("patchwarden.io/excluded")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    assertThat(Selectors.from(fabric8))
        .isEqualTo(
            Selector.of(
                Map.of("patchwarden.io/role", "laptop"),
                Requirement.notIn("site", "paris", "rome"),
                Requirement.doesNotExist("patchwarden.io/excluded")));
    assertThat(Selectors.from(new LabelSelector())).isEqualTo(Selector.EVERYTHING);
  }

  @Test
  void refusesToConvertWhatTheValidatorRejects() {
    for (var invalid :
        List.of(expression("Equals", "x"), expression("Exists", "x"), expression("In"))) {
      assertThatThrownBy(() -> Selectors.from(invalid))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static LabelSelector expression(String operator, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey("site")
        .withOperator(operator)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  // --- Properties over small alphabets, so that keys and values collide often ---

  @Property(tries = 500)
  void notInIsTheNegationOfInWhenTheKeyIsPresentAndTrueWhenAbsent(
      @ForAll("labels") Map<String, String> labels,
      @ForAll("keys") String key,
      @ForAll("valueSets") Set<String> values) {
    boolean in = new Requirement(key, Operator.In, values).matches(labels);
    boolean notIn = new Requirement(key, Operator.NotIn, values).matches(labels);
    if (labels.containsKey(key)) {
      assertThat(notIn).isEqualTo(!in);
      assertThat(in).isEqualTo(values.contains(labels.get(key)));
    } else {
      assertThat(notIn).isTrue();
      assertThat(in).isFalse();
    }
  }

  @Property(tries = 300)
  void existsAndDoesNotExistAreComplementsOfKeyPresence(
      @ForAll("labels") Map<String, String> labels, @ForAll("keys") String key) {
    assertThat(Requirement.exists(key).matches(labels)).isEqualTo(labels.containsKey(key));
    assertThat(Requirement.doesNotExist(key).matches(labels)).isEqualTo(!labels.containsKey(key));
  }

  @Property(tries = 300)
  void aMatchLabelIsTheSameAsInWithOneValue(
      @ForAll("labels") Map<String, String> labels,
      @ForAll("keys") String key,
      @ForAll("values") String value) {
    assertThat(Selector.of(Map.of(key, value)).matches(labels))
        .isEqualTo(Requirement.in(key, value).matches(labels));
  }

  @Property(tries = 500)
  void aSelectorIsTheConjunctionOfItsParts(
      @ForAll("selectors") Selector selector, @ForAll("labels") Map<String, String> labels) {
    boolean allLabels =
        selector.matchLabels().entrySet().stream()
            .allMatch(e -> Selector.of(Map.of(e.getKey(), e.getValue())).matches(labels));
    boolean allRequirements = selector.requirements().stream().allMatch(r -> r.matches(labels));
    assertThat(selector.matches(labels)).isEqualTo(allLabels && allRequirements);
  }

  @Property(tries = 300)
  void addingARequirementOnlyNarrows(
      @ForAll("selectors") Selector selector,
      @ForAll("requirements") Requirement extra,
      @ForAll("labels") Map<String, String> labels) {
    var more = new java.util.ArrayList<>(selector.requirements());
    more.add(extra);
    Selector narrower = new Selector(selector.matchLabels(), more);
    if (narrower.matches(labels)) {
      assertThat(selector.matches(labels)).isTrue();
    }
  }

  @Property(tries = 300)
  void theOrderOfRequirementsDoesNotMatter(
      @ForAll("selectors") Selector selector, @ForAll("labels") Map<String, String> labels) {
    var reversed = new java.util.ArrayList<>(selector.requirements());
    java.util.Collections.reverse(reversed);
    assertThat(new Selector(selector.matchLabels(), reversed).matches(labels))
        .isEqualTo(selector.matches(labels));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of("a", "b", "example.com/c");
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.of("", "x", "y", "z");
  }

  @Provide
  Arbitrary<Set<String>> valueSets() {
    return values().set().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(keys(), values()).ofMaxSize(3);
  }

  @Provide
  Arbitrary<Requirement> requirements() {
    return Arbitraries.of(Operator.class)
        .flatMap(
            operator ->
                switch (operator) {
                  case In, NotIn ->
                      Combinators.combine(keys(), valueSets())
                          .as((k, vs) -> new Requirement(k, operator, vs));
                  case Exists, DoesNotExist -> keys().map(k -> new Requirement(k, operator, null));
                });
  }

  @Provide
  Arbitrary<Selector> selectors() {
    return Combinators.combine(
            Arbitraries.maps(keys(), values()).ofMaxSize(2), requirements().list().ofMaxSize(3))
        .as(Selector::new);
  }

  @Test
  void groupsSelectorsAreConvertedOnceAndInvalidOnesSelectNothing() {
    io.patchwarden.api.group.EndpointGroup laptops =
        group(new LabelSelectorBuilder().addToMatchLabels("role", "laptop").build(), null);
    io.patchwarden.api.group.EndpointGroup broken =
        group(
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("role")
                .withOperator("Near")
                .endMatchExpression()
                .build(),
            null);
    io.patchwarden.api.group.EndpointGroup workers =
        group(null, new LabelSelectorBuilder().build());
    Map<String, Selector> endpoints =
        Selectors.ofGroups(
            Map.of("laptops", laptops, "broken", broken, "workers", workers),
            io.patchwarden.api.group.EndpointGroupSpec::getEndpointSelector);
    assertThat(endpoints).containsOnlyKeys("laptops");
    assertThat(Selectors.matching(endpoints, Map.of("role", "laptop"))).containsExactly("laptops");
    assertThat(Selectors.matching(endpoints, Map.of("role", "server"))).isEmpty();
    assertThat(Selectors.orNull(null)).isNull();
    assertThat(Selectors.orNull(broken.getSpec().getEndpointSelector())).isNull();
  }

  private static io.patchwarden.api.group.EndpointGroup group(
      LabelSelector endpoints, LabelSelector nodes) {
    var g = new io.patchwarden.api.group.EndpointGroup();
    g.setSpec(new io.patchwarden.api.group.EndpointGroupSpec());
    g.getSpec().setEndpointSelector(endpoints);
    g.getSpec().setNodeSelector(nodes);
    return g;
  }
}
