package io.patchwarden.agent.backend.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.patchwarden.agent.Fixtures;
import io.patchwarden.agent.backend.BackendException;
import io.patchwarden.agent.backend.CommandResult;
import io.patchwarden.agent.backend.FakeCommandRunner;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptBackendTest {

  private static final HostFacts FACTS =
      new HostFacts("web-1", OsFamily.Debian, "Debian GNU/Linux", "12", "amd64", "Europe/Berlin");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-11-20T10:15:30.123Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private FakeCommandRunner scanRunner(String simulation) {
    return new FakeCommandRunner()
        .on(AptBackend.SIMULATE, CommandResult.ok(Fixtures.read(simulation)))
        .on(List.of("dpkg-query", "-f"), CommandResult.ok(Fixtures.read("apt/dpkg-status.txt")))
        .on(List.of("uname", "-r"), CommandResult.ok("6.1.0-27-amd64\n"));
  }

  private AptBackend backend(FakeCommandRunner runner) {
    return new AptBackend(runner, FACTS, dir.resolve("reboot-required"), CLOCK);
  }

  @Test
  void scanReportsMachinePackagesAndPendingUpdates() {
    AgentInventory inventory = backend(scanRunner("apt/debian12-dist-upgrade.txt")).scan();

    assertThat(inventory.hostname()).isEqualTo("web-1");
    assertThat(inventory.osFamily()).isEqualTo(OsFamily.Debian);
    assertThat(inventory.osVersion()).isEqualTo("12");
    assertThat(inventory.kernelVersion()).isEqualTo("6.1.0-27-amd64");
    assertThat(inventory.timeZone()).isEqualTo("Europe/Berlin");
    assertThat(inventory.installedUpdateCount()).isEqualTo(6); // only "installed" lines count
    assertThat(inventory.rebootRequired()).isFalse();
    assertThat(inventory.scannedAt()).isEqualTo("2024-11-20T10:15:30Z");
    assertThat(inventory.pendingUpdates()).hasSize(11);
    PendingUpdate openssl =
        inventory.pendingUpdates().stream()
            .filter(u -> u.getPackageName().equals("openssl"))
            .findFirst()
            .orElseThrow();
    assertThat(openssl.getId()).isEqualTo("openssl=3.0.15-1~deb12u1");
    assertThat(openssl.getVersion()).isEqualTo("3.0.15-1~deb12u1");
    assertThat(openssl.getInstalledVersion()).isEqualTo("3.0.14-1~deb12u2");
    assertThat(openssl.getClassification()).isEqualTo(Classification.Security);
    assertThat(openssl.getSeverity()).isEqualTo(Severity.Unspecified);
    assertThat(openssl.getSource()).isEqualTo("stable-security");
  }

  @Test
  void securityUpdatesComeFirstThenByName() {
    List<PendingUpdate> pending =
        backend(scanRunner("apt/debian12-dist-upgrade.txt")).scan().pendingUpdates();

    assertThat(pending)
        .extracting(PendingUpdate::getPackageName)
        .containsExactly(
            "libc-bin",
            "libc6",
            "libc6:i386",
            "libssl3",
            "linux-image-amd64",
            "openssl",
            "base-files",
            "bash",
            "openssh-client",
            "openssh-server",
            "tzdata");
  }

  @Test
  void rebootRequiredIsTheFlagFile() throws IOException {
    AptBackend backend = backend(scanRunner("apt/nothing-to-upgrade.txt"));
    assertThat(backend.rebootRequired()).isFalse();
    Files.writeString(dir.resolve("reboot-required"), "*** System restart required ***\n");
    assertThat(backend.rebootRequired()).isTrue();
    assertThat(backend.scan().rebootRequired()).isTrue();
  }

  @Test
  void failedSimulationFailsTheScan() {
    FakeCommandRunner runner =
        scanRunner("apt/nothing-to-upgrade.txt")
            .on(
                AptBackend.SIMULATE,
                new CommandResult(100, "", "E: Could not open lock file /var/lib/dpkg/lock"));
    assertThatThrownBy(() -> backend(runner).scan())
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Could not open lock file");
  }

  @Test
  void installsExactlyTheAssignedVersionsAsAnArgumentList() throws IOException {
    Files.writeString(dir.resolve("reboot-required"), "");
    Files.writeString(
        dir.resolve("reboot-required.pkgs"), Fixtures.read("apt/reboot-required.pkgs"));
    FakeCommandRunner runner =
        new FakeCommandRunner()
            .on(List.of("apt-get", "install"), new CommandResult(100, "", "E: Sub-process failed"))
            .on(
                List.of("dpkg-query", "-W"),
                new CommandResult(0, Fixtures.read("apt/dpkg-versions-after-install.txt"), ""));
    List<AssignedUpdate> assigned =
        List.of(
            new AssignedUpdate("openssl=3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1"),
            new AssignedUpdate("linux-image-amd64=6.1.119-1", "linux-image-amd64", "6.1.119-1"),
            new AssignedUpdate(
                "openssh-server=1:9.2p1-2+deb12u4", "openssh-server", "1:9.2p1-2+deb12u4"));

    List<UpdateOutcome> outcomes = backend(runner).install(assigned);

    assertThat(runner.commands("apt-get"))
        .containsExactly(
            List.of(
                "apt-get",
                "install",
                "-y",
                "--only-upgrade",
                "-o",
                "Dpkg::Options::=--force-confdef",
                "-o",
                "Dpkg::Options::=--force-confold",
                "openssl=3.0.15-1~deb12u1",
                "linux-image-amd64=6.1.119-1",
                "openssh-server=1:9.2p1-2+deb12u4"));
    assertThat(runner.invocations().get(0).environment())
        .containsEntry("DEBIAN_FRONTEND", "noninteractive");
    assertThat(outcomes)
        .extracting(UpdateOutcome::getId, UpdateOutcome::getResult)
        .containsExactly(
            tuple("openssl=3.0.15-1~deb12u1", UpdateResult.Installed),
            tuple("linux-image-amd64=6.1.119-1", UpdateResult.PendingReboot),
            tuple("openssh-server=1:9.2p1-2+deb12u4", UpdateResult.Failed));
    assertThat(outcomes.get(2).getMessage())
        .contains("expected 1:9.2p1-2+deb12u4", "installed is 1:9.2p1-2+deb12u3")
        .contains("Sub-process failed");
  }

  @Test
  void refusesWhatCouldBeReadAsAnOption() {
    FakeCommandRunner runner = new FakeCommandRunner();
    List<UpdateOutcome> outcomes =
        backend(runner)
            .install(
                List.of(
                    new AssignedUpdate("x", "-oAPT::Get::AllowUnauthenticated=true", "1.0"),
                    new AssignedUpdate("y", "bash", "5.2; rm -rf /"),
                    new AssignedUpdate("z", "bash", null),
                    // Would be read as a local .deb file, installed without a signature.
                    new AssignedUpdate("w", "evil", "1.0.deb")));

    assertThat(outcomes).extracting(UpdateOutcome::getResult).containsOnly(UpdateResult.Failed);
    assertThat(runner.invocations()).isEmpty(); // nothing valid: apt-get is not even started
  }
}
