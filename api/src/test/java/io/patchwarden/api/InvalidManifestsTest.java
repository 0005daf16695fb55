package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchwarden.api.testing.CrdSchemaValidator;
import io.patchwarden.api.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each manifest under src/test/resources/invalid/ is rejected by the generated CRD (schema or CEL
 * rule), and the rejection names the offending field: the first line of each file says {@code #
 * expect: <text>}, which must appear in one of the violations.
 */
class InvalidManifestsTest {

  static final Path INVALID = Path.of("src", "test", "resources", "invalid");
  private static final String EXPECT = "# expect:";

  static Stream<Path> invalidManifests() throws IOException {
    try (Stream<Path> files = Files.list(INVALID)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereAreEnoughCasesToMeanSomething() throws IOException {
    assertThat(invalidManifests().count()).isGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest
  @MethodSource("invalidManifests")
  void isRejectedNamingTheField(Path manifest) throws IOException {
    String text = Files.readString(manifest);
    String firstLine = text.lines().findFirst().orElse("");
    assertThat(firstLine).as("first line of %s", manifest).startsWith(EXPECT);
    String expected = firstLine.substring(EXPECT.length()).trim();

    List<JsonNode> documents = Manifests.readAll(text);
    assertThat(documents).hasSize(1);
    JsonNode document = documents.get(0);
    var kind = Manifests.kindOf(document).orElseThrow();

    List<String> violations = CrdSchemaValidator.forKind(kind.plural()).validate(document);

    assertThat(violations).as("violations of %s", manifest).isNotEmpty();
    assertThat(violations).as("violations of %s", manifest).anyMatch(v -> v.contains(expected));
  }
}
