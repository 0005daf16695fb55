package io.patchwarden.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendKindTest {

  @Test
  void autoPrefersAptThenDnf() {
    Set<Path> both = Set.of(BackendKind.APT_GET, BackendKind.DNF);
    assertThat(BackendKind.auto.resolve(both::contains)).isEqualTo(BackendKind.apt);
    assertThat(BackendKind.auto.resolve(Set.of(BackendKind.DNF)::contains))
        .isEqualTo(BackendKind.dnf);
    assertThat(BackendKind.simulated.resolve(p -> false)).isEqualTo(BackendKind.simulated);
  }

  @Test
  void autoWithoutPackageManagerSaysWhatToDo() {
    assertThatThrownBy(() -> BackendKind.auto.resolve(p -> false))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("/usr/bin/apt-get")
        .hasMessageContaining("/usr/bin/dnf")
        .hasMessageContaining("--backend");
  }
}
