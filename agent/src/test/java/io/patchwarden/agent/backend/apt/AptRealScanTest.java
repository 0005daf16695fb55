package io.patchwarden.agent.backend.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.OsFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real apt of the machine the build runs on; skipped where there is none. */
class AptRealScanTest {

  @Test
  void scansThisMachine() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-query")), "dpkg-query is not installed");

    AgentInventory inventory = AptBackend.system().scan();

    assertThat(inventory.osFamily()).isEqualTo(OsFamily.Debian);
    assertThat(inventory.kernelVersion()).isNotBlank();
    assertThat(inventory.hostname()).isNotBlank();
    assertThat(inventory.installedUpdateCount()).isPositive();
    assertThat(inventory.pendingUpdates()).hasSizeLessThanOrEqualTo(500);
    assertThat(inventory.pendingUpdates())
        .allSatisfy(
            u -> {
              assertThat(u.getId()).isEqualTo(u.getPackageName() + "=" + u.getVersion());
              assertThat(u.getInstalledVersion()).isNotBlank();
              assertThat(u.getClassification())
                  .isIn(Classification.Security, Classification.Bugfix);
            });
  }
}
