package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.operator.testing.OperatorScenario;
import io.patchwarden.operator.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in examples/ applies as it is and each of its Patchwarden objects reaches
 * Ready=True with the current generation observed. Runs against any {@link TestCluster}: subclasses
 * pick the mock server or a real API server.
 */
@Timeout(180)
public abstract class ExampleScenarios extends OperatorScenario {
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleAppliesAndEveryObjectBecomesReady(Path example) throws IOException {
    KubernetesClient client = cluster.client();
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(example)) {
      objects = client.load(in).items();
    }
    assertThat(objects).isNotEmpty();
    objects.forEach(o -> client.resource(o).createOr(existing -> existing.update()));

    List<HasMetadata> patchwardenObjects =
        objects.stream().filter(o -> o.getApiVersion().startsWith("patchwarden.io/")).toList();
    assertThat(patchwardenObjects).hasSizeGreaterThanOrEqualTo(3);
    for (HasMetadata object : patchwardenObjects) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertReady(client, object, example));
    }
  }

  private static void assertReady(KubernetesClient client, HasMetadata object, Path example) {
    GenericKubernetesResource current =
        client
            .genericKubernetesResources(object.getApiVersion(), object.getKind())
            .inNamespace(object.getMetadata().getNamespace())
            .withName(object.getMetadata().getName())
            .get();
    String what = object.getKind() + " " + object.getMetadata().getName() + " of " + example;
    assertThat(current).as(what).isNotNull();
    Map<String, Object> status = current.get("status");
    assertThat(status).as("status of %s", what).isNotNull();
    assertThat(((Number) status.get("observedGeneration")).longValue())
        .as("observedGeneration of %s", what)
        .isEqualTo(current.getMetadata().getGeneration());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
    assertThat(conditions)
        .as("conditions of %s", what)
        .anySatisfy(
            c -> {
              assertThat(c.get("type")).isEqualTo("Ready");
              assertThat(c.get("status")).as("Ready of %s: %s", what, c).isEqualTo("True");
            });
    // Examples are warning-free: their catalogues load and their approval sections approve.
    for (Map<String, Object> c : conditions) {
      if (WARNING_FREE.contains(c.get("type"))) {
        assertThat(c.get("status")).as("%s of %s: %s", c.get("type"), what, c).isEqualTo("True");
      }
    }
  }

  private static final java.util.Set<String> WARNING_FREE =
      java.util.Set.of("KnownExploitedCatalogValid", "ApprovalRulesEffective");
}
