package io.patchwarden.agent.backend.apt;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.agent.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AptUpgradeParserTest {

  private static Map<String, AptUpgrade> byName(String fixture) {
    return AptUpgradeParser.parse(Fixtures.read(fixture)).stream()
        .collect(Collectors.toMap(AptUpgrade::packageName, Function.identity()));
  }

  @Test
  void readsEveryUpgradeOfADebianSimulation() {
    Map<String, AptUpgrade> upgrades = byName("apt/debian12-dist-upgrade.txt");

    assertThat(upgrades)
        .containsOnlyKeys(
            "base-files",
            "bash",
            "libc6:i386",
            "libc6",
            "libc-bin",
            "tzdata",
            "openssl",
            "libssl3",
            "openssh-server",
            "openssh-client",
            "linux-image-amd64");
    AptUpgrade openssl = upgrades.get("openssl");
    assertThat(openssl.installedVersion()).isEqualTo("3.0.14-1~deb12u2");
    assertThat(openssl.candidateVersion()).isEqualTo("3.0.15-1~deb12u1");
    assertThat(openssl.origins()).containsExactly("Debian-Security:12/stable-security");
    assertThat(openssl.architecture()).isEqualTo("amd64");
  }

  @Test
  void newPackagesAreDependenciesNotUpdates() {
    assertThat(byName("apt/debian12-dist-upgrade.txt"))
        .doesNotContainKey("linux-image-6.1.0-28-amd64");
    assertThat(byName("apt/ubuntu2204-dist-upgrade.txt"))
        .doesNotContainKeys("linux-image-5.15.0-126-generic", "linux-headers-5.15.0-126");
  }

  @Test
  void securityComesFromAnySecurityArchiveOfTheCandidate() {
    Map<String, AptUpgrade> debian = byName("apt/debian12-dist-upgrade.txt");
    assertThat(debian.get("libc6").security()).isTrue(); // stable and stable-security
    assertThat(debian.get("libc6").source()).isEqualTo("stable-security");
    assertThat(debian.get("tzdata").security()).isFalse();
    assertThat(debian.get("tzdata").source()).isEqualTo("stable-updates");
    assertThat(debian.get("base-files").security()).isFalse();

    Map<String, AptUpgrade> ubuntu = byName("apt/ubuntu2204-dist-upgrade.txt");
    assertThat(ubuntu.get("libssl3").security()).isTrue();
    assertThat(ubuntu.get("libssl3").source()).isEqualTo("jammy-security");
    assertThat(ubuntu.get("snapd").security()).isFalse();
    assertThat(ubuntu.get("snapd").source()).isEqualTo("jammy-updates");
  }

  @Test
  void keepsEpochsAndArchitectureQualifiers() {
    Map<String, AptUpgrade> debian = byName("apt/debian12-dist-upgrade.txt");
    assertThat(debian.get("openssh-server").candidateVersion()).isEqualTo("1:9.2p1-2+deb12u4");
    assertThat(debian.get("libc6:i386").architecture()).isEqualTo("i386");
    assertThat(byName("apt/ubuntu2204-dist-upgrade.txt").get("update-manager-core").origins())
        .containsExactly("Ubuntu:22.04/jammy-updates");
  }

  @Test
  void aSystemUpToDateHasNothingPending() {
    assertThat(AptUpgradeParser.parse(Fixtures.read("apt/nothing-to-upgrade.txt"))).isEmpty();
  }

  @Test
  void candidateWithoutOriginHasNoSource() {
    List<AptUpgrade> parsed = AptUpgradeParser.parse("Inst foo [1.0] (1.1 [amd64])");
    assertThat(parsed).singleElement().satisfies(u -> assertThat(u.source()).isNull());
  }

  @Property
  void neverFailsOnArbitraryOutput(@ForAll String output) {
    assertThat(AptUpgradeParser.parse(output)).isNotNull();
  }
}
