package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.patchwarden.api.testing.CrdSchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator itself, against a small hand-written CRD. */
class CrdSchemaValidatorTest {

  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.io}
      spec:
        group: example.io
        names: {kind: Widget, plural: widgets}
        scope: Namespaced
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [name]
                  x-kubernetes-validations:
                  - rule: "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas"
                    message: spec.minReplicas must not exceed spec.maxReplicas
                  - rule: "self.mode != 'Slow' || self.window.start < self.window.end"
                    message: a Slow widget needs a window
                  properties:
                    name:
                      type: string
                      x-kubernetes-validations:
                      - rule: self == oldSelf
                        message: spec.name is immutable
                    day: {type: string, enum: [Monday, Tuesday]}
                    maxUnavailable:
                      anyOf: [{type: integer}, {type: string}]
                      x-kubernetes-int-or-string: true
                    minReplicas: {type: integer, minimum: 0}
                    maxReplicas: {type: integer}
                    mode: {type: string, default: Fast}
                    tags:
                      type: array
                      items:
                        type: string
                        x-kubernetes-validations:
                        - rule: self.startsWith('tag-')
                          message: tags start with tag-
                    labels:
                      type: object
                      additionalProperties: {type: string, maxLength: 5}
                    window:
                      type: object
                      properties:
                        start: {type: string}
                        end: {type: string}
                    extra:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
      """;

  private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.fromYaml(CRD);

  private static JsonNode widget(String spec) {
    try {
      return new YAMLMapper()
          .readTree(
              "apiVersion: example.io/v1\nkind: Widget\n"
                  + "metadata: {name: w, namespace: default, labels: {any: thing}}\n"
                  + "spec: "
                  + spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aValidObjectHasNoViolations() {
    JsonNode valid =
        widget(
            "{name: a, day: Monday, minReplicas: 1, maxReplicas: 2, tags: [tag-x],"
                + " labels: {tier: gold}, extra: {anything: {goes: [1]}}}");

    assertThat(VALIDATOR.validate(valid)).isEmpty();
    assertThat(VALIDATOR.validateUpdate(valid, valid)).isEmpty();
  }

  @Test
  void aMapIsValidatedLikeAJsonTree() {
    Map<String, Object> object =
        Map.of("apiVersion", "example.io/v1", "kind", "Widget", "spec", Map.of("nmae", "a"));

    assertThat(VALIDATOR.validate(object))
        .containsExactlyInAnyOrder("spec.nmae: unknown field", "spec.name: Required value");
  }

  @Test
  void anUnknownFieldIsRejectedWithItsPath() {
    assertThat(VALIDATOR.validate(widget("{name: a, window: {start: '1', ende: '2'}}")))
        .containsExactly("spec.window.ende: unknown field");
  }

  @Test
  void anEnumViolationNamesThePathAndTheAllowedValues() {
    assertThat(VALIDATOR.validate(widget("{name: a, day: Friday}")))
        .containsExactly("spec.day: must be one of [Monday, Tuesday]");
  }

  @Test
  void schemaViolationsInMapValuesNameTheKey() {
    assertThat(VALIDATOR.validate(widget("{name: a, labels: {tier: platinum}}")))
        .singleElement()
        .asString()
        .startsWith("spec.labels[tier]: ");
  }

  @Test
  void intOrStringAcceptsBothAndNothingElse() {
    assertThat(VALIDATOR.validate(widget("{name: a, maxUnavailable: 3}"))).isEmpty();
    assertThat(VALIDATOR.validate(widget("{name: a, maxUnavailable: '30%'}"))).isEmpty();
    assertThat(VALIDATOR.validate(widget("{name: a, maxUnavailable: true}")))
        .singleElement()
        .asString()
        .startsWith("spec.maxUnavailable: ");
  }

  @Test
  void aFalseRuleReportsItsMessageAtItsNode() {
    assertThat(VALIDATOR.validate(widget("{name: a, minReplicas: 3, maxReplicas: 2}")))
        .containsExactly("spec: spec.minReplicas must not exceed spec.maxReplicas");
  }

  @Test
  void aRuleThatCannotBeEvaluatedIsAViolation() {
    assertThat(VALIDATOR.validate(widget("{name: a, mode: Slow, window: {start: '1'}}")))
        .singleElement()
        .asString()
        .startsWith("spec: a Slow widget needs a window (evaluation error: ");
  }

  @Test
  void defaultsAreAppliedBeforeTheRulesRun() {
    // mode defaults to Fast, so the rule does not need the absent window
    assertThat(VALIDATOR.validate(widget("{name: a}"))).isEmpty();
  }

  @Test
  void aRuleOnListItemsAppliesToEachElement() {
    assertThat(VALIDATOR.validate(widget("{name: a, tags: [tag-a, b, tag-c, d]}")))
        .containsExactly(
            "spec.tags[1]: tags start with tag-", "spec.tags[3]: tags start with tag-");
  }

  @Test
  void aTransitionRuleComparesWithTheOldObject() {
    JsonNode before = widget("{name: a}");
    JsonNode renamed = widget("{name: b}");

    assertThat(VALIDATOR.validate(renamed)).isEmpty();
    assertThat(VALIDATOR.validateUpdate(before, widget("{name: a, day: Monday}"))).isEmpty();
    assertThat(VALIDATOR.validateUpdate(before, renamed))
        .containsExactly("spec.name: spec.name is immutable");
  }

  @Test
  void apiVersionAndKindMustNameTheCrd() {
    JsonNode object = widget("{name: a}");
    ((com.fasterxml.jackson.databind.node.ObjectNode) object).put("apiVersion", "example.io/v2");

    assertThat(VALIDATOR.validate(object))
        .containsExactly("apiVersion: must be one of [example.io/v1]");
  }

  @Test
  void compileAllRulesListsTheRulesAndRejectsOnesThatDoNotCompile() {
    List<CrdSchemaValidator.Rule> rules = VALIDATOR.compileAllRules();
    assertThat(rules).hasSize(4);
    assertThat(rules)
        .contains(new CrdSchemaValidator.Rule("spec.tags[*]", "self.startsWith('tag-')"));

    String broken =
        CRD.replace("rule: self.startsWith('tag-')", "rule: self.startsWith(1)")
            .replace("rule: self == oldSelf", "rule: size(self)");
    assertThatThrownBy(() -> CrdSchemaValidator.fromYaml(broken).compileAllRules())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 CEL rule(s) do not compile")
        .hasMessageContaining("spec.tags[*]: self.startsWith(1)")
        .hasMessageContaining("spec.name: size(self)");
  }
}
