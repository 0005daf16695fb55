package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.testing.CrdSchemaValidator;
import io.patchwarden.api.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in examples/ must apply as it is: each Patchwarden object binds to the model with
 * no unknown field, passes the generated CRD schema and its CEL rules, and every group, window and
 * ConfigMap a policy names is defined in the same file and namespace.
 */
class ExamplesTest {

  static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void theFourDocumentedSetupsExist() throws IOException {
    assertThat(examples().map(p -> p.getFileName().toString()))
        .contains(
            "small-office.yaml", "cluster-nodes.yaml", "msp-two-customers.yaml", "emergency.yaml");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyObjectBindsToTheModelAndPassesSchemaAndCel(Path example) {
    List<JsonNode> documents = Manifests.readAll(example);
    assertThat(documents).isNotEmpty();
    int patchwardenObjects = 0;
    for (JsonNode document : documents) {
      var kind = Manifests.kindOf(document);
      if (kind.isEmpty()) {
        assertThat(document.path("kind").asText())
            .as("%s in %s", Manifests.describe(document), example)
            .isIn("Namespace", "ConfigMap");
        continue;
      }
      patchwardenObjects++;
      assertThatCode(() -> Manifests.bindStrictly(document, kind.get().type()))
          .as("%s in %s binds to the model", Manifests.describe(document), example)
          .doesNotThrowAnyException();
      assertThat(CrdSchemaValidator.forKind(kind.get().plural()).validate(document))
          .as("%s in %s is valid against the CRD", Manifests.describe(document), example)
          .isEmpty();
    }
    assertThat(patchwardenObjects).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void policiesOnlyReferToObjectsDefinedAlongsideThem(Path example) {
    List<JsonNode> documents = Manifests.readAll(example);
    Set<String> defined = new HashSet<>();
    for (JsonNode document : documents) {
      defined.add(key(document.path("kind").asText(), document));
    }
    for (JsonNode document : documents) {
      if (!"PatchPolicy".equals(document.path("kind").asText())) {
        continue;
      }
      PatchPolicy policy = Manifests.bindStrictly(document, PatchPolicy.class);
      String where = Manifests.describe(document) + " in " + example;
      String namespace = policy.getMetadata().getNamespace();
      assertThat(namespace).as("%s has a namespace", where).isNotBlank();
      assertThat(defined).as("%s namespace", where).contains("Namespace//" + namespace);
      var spec = policy.getSpec();
      spec.getGroups()
          .forEach(g -> assertThat(defined).as(where).contains(key("EndpointGroup", namespace, g)));
      if (spec.getWindows() != null) {
        spec.getWindows()
            .forEach(
                w ->
                    assertThat(defined).as(where).contains(key("MaintenanceWindow", namespace, w)));
      }
      if (spec.getRollout() != null && spec.getRollout().getWaves() != null) {
        spec.getRollout().getWaves().stream()
            .filter(w -> w.getGroup() != null)
            .forEach(
                w ->
                    assertThat(defined)
                        .as(where)
                        .contains(key("EndpointGroup", namespace, w.getGroup())));
      }
      if (spec.getKnownExploitedCatalog() != null) {
        assertThat(defined)
            .as(where)
            .contains(key("ConfigMap", namespace, spec.getKnownExploitedCatalog().getConfigMap()));
      }
    }
  }

  private static String key(String kind, JsonNode document) {
    JsonNode metadata = document.path("metadata");
    return key(kind, metadata.path("namespace").asText(""), metadata.path("name").asText());
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
