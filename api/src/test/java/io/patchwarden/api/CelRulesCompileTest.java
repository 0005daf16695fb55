package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.patchwarden.api.testing.CrdSchemaValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CEL rule of every generated CRD compiles, as kube-apiserver requires when the CRD is
 * applied; the API server of the integration tier is too old to check this itself.
 */
class CelRulesCompileTest {

  private static final String SUFFIX = ".patchwarden.io-v1.yml";

  static List<String> plurals() throws IOException, URISyntaxException {
    Path dir =
        Path.of(
            Objects.requireNonNull(
                    CelRulesCompileTest.class.getClassLoader().getResource("META-INF/fabric8"),
                    "no generated CRDs on the class path")
                .toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX))
          .map(name -> name.substring(0, name.length() - SUFFIX.length()))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void everyDeclaredRuleIsFoundAndCompiles(String plural) throws IOException {
    List<CrdSchemaValidator.Rule> compiled = CrdSchemaValidator.forKind(plural).compileAllRules();

    JsonNode crd = new YAMLMapper().readTree(generated(plural));
    int declared =
        crd.findValues("x-kubernetes-validations").stream().mapToInt(JsonNode::size).sum();
    assertThat(compiled).as("rules of %s", plural).hasSize(declared);
  }

  @Test
  void theGeneratedCrdsCarryRules() throws IOException, URISyntaxException {
    List<String> plurals = plurals();
    assertThat(plurals)
        .contains(
            "endpointgroups",
            "maintenancewindows",
            "managedendpoints",
            "patchpolicies",
            "patchruns");

    int total = 0;
    for (String plural : plurals) {
      total += CrdSchemaValidator.forKind(plural).compileAllRules().size();
    }
    assertThat(total).isGreaterThan(10);
  }

  private static String generated(String plural) throws IOException {
    try (var in =
        CelRulesCompileTest.class
            .getClassLoader()
            .getResourceAsStream("META-INF/fabric8/" + plural + SUFFIX)) {
      return new String(
          Objects.requireNonNull(in).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
