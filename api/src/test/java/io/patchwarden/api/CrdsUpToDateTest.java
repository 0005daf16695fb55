package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * crds/ is checked in for users who apply it with kubectl; it must match what the model generates.
 */
class CrdsUpToDateTest {

  static final Path CHECKED_IN = Path.of("..", "crds");
  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

  @Test
  void everyKindHasAGeneratedAndACheckedInCrd() throws IOException {
    for (var kind : Manifests.KINDS.values()) {
      assertThat(generated(kind.plural())).exists();
      assertThat(checkedIn(kind.plural())).exists();
    }
    try (Stream<Path> files = Files.list(CHECKED_IN)) {
      assertThat(files.count())
          .as("crds/ holds exactly one file per kind")
          .isEqualTo(Manifests.KINDS.size());
    }
  }

  @Test
  void checkedInCrdsMatchTheGeneratedOnes() throws IOException {
    for (var kind : Manifests.KINDS.values()) {
      assertThat(Files.readString(checkedIn(kind.plural())))
          .as("crds/%s is stale: run `make crds` and commit crds/", checkedIn(kind.plural()))
          .isEqualTo(Files.readString(generated(kind.plural())));
    }
  }

  private static Path generated(String plural) {
    return GENERATED.resolve(plural + ".patchwarden.io-v1.yml");
  }

  private static Path checkedIn(String plural) {
    return CHECKED_IN.resolve(plural + ".patchwarden.io.yaml");
  }
}
