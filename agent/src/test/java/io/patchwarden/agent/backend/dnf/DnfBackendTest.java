package io.patchwarden.agent.backend.dnf;

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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnfBackendTest {

  private static final HostFacts FACTS =
      new HostFacts(
          "db-1", OsFamily.RedHat, "Red Hat Enterprise Linux", "9.4", "amd64", "Europe/Berlin");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-11-20T10:15:30Z"), ZoneOffset.UTC);
  private static final List<String> NEEDS_RESTARTING =
      List.of("dnf", "-q", "needs-restarting", "-r");

  private static FakeCommandRunner rhel9() {
    return new FakeCommandRunner()
        .on(
            DnfBackend.CHECK_UPDATE,
            new CommandResult(100, Fixtures.read("dnf/rhel9-check-update.txt"), ""))
        .on(
            DnfBackend.UPDATEINFO_LIST,
            CommandResult.ok(Fixtures.read("dnf/rhel9-updateinfo-list.txt")))
        .on(
            DnfBackend.UPDATEINFO_INFO,
            CommandResult.ok(Fixtures.read("dnf/rhel9-updateinfo-info.txt")))
        .on(DnfBackend.RPM_INSTALLED, CommandResult.ok(Fixtures.read("dnf/rpm-qa.txt")))
        .on(List.of("uname", "-r"), CommandResult.ok("5.14.0-427.13.1.el9_4.x86_64\n"))
        .on(NEEDS_RESTARTING, CommandResult.ok("No core libraries or services have been updated"));
  }

  private static PendingUpdate find(AgentInventory inventory, String id) {
    return inventory.pendingUpdates().stream()
        .filter(u -> u.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pending update " + id));
  }

  @Test
  void scanMergesPackagesWithTheirAdvisories() {
    AgentInventory inventory = new DnfBackend(rhel9(), FACTS, CLOCK).scan();

    assertThat(inventory.osFamily()).isEqualTo(OsFamily.RedHat);
    assertThat(inventory.kernelVersion()).isEqualTo("5.14.0-427.13.1.el9_4.x86_64");
    assertThat(inventory.installedUpdateCount()).isEqualTo(11); // gpg-pubkey is no package
    assertThat(inventory.rebootRequired()).isFalse();
    assertThat(inventory.pendingUpdates()).hasSize(11);

    PendingUpdate kernel = find(inventory, "kernel-5.14.0-427.42.1.el9_4.x86_64");
    assertThat(kernel.getPackageName()).isEqualTo("kernel");
    assertThat(kernel.getVersion()).isEqualTo("5.14.0-427.42.1.el9_4");
    assertThat(kernel.getInstalledVersion()).isEqualTo("5.14.0-427.13.1.el9_4");
    assertThat(kernel.getClassification()).isEqualTo(Classification.Security);
    assertThat(kernel.getSeverity()).isEqualTo(Severity.High);
    assertThat(kernel.getCves()).containsExactly("CVE-2024-36971", "CVE-2024-41093");
    assertThat(kernel.getReleaseDate()).isEqualTo("2024-11-05");
    assertThat(kernel.getSource()).isEqualTo("rhel-9-for-x86_64-baseos-rpms");

    PendingUpdate openssl = find(inventory, "openssl-1:3.0.7-28.el9_4.x86_64");
    assertThat(openssl.getVersion()).isEqualTo("1:3.0.7-28.el9_4");
    assertThat(openssl.getInstalledVersion()).isEqualTo("1:3.0.7-27.el9");
    assertThat(openssl.getSeverity()).isEqualTo(Severity.Medium);
    assertThat(openssl.getCves()).containsExactly("CVE-2024-5535");

    PendingUpdate tzdata = find(inventory, "tzdata-2024b-2.el9.noarch");
    assertThat(tzdata.getClassification()).isEqualTo(Classification.Bugfix);
    assertThat(tzdata.getSeverity()).isEqualTo(Severity.Unspecified);
    assertThat(tzdata.getCves()).isNull();

    PendingUpdate unbound =
        find(inventory, "python3-unbound-extra-long-package-name-1.16.2-3.el9_3.5.x86_64");
    assertThat(unbound.getClassification()).isEqualTo(Classification.Enhancement);
  }

  @Test
  void packagesWithoutAdvisoryAreUnclassifiedNotHarmless() {
    PendingUpdate docker =
        find(new DnfBackend(rhel9(), FACTS, CLOCK).scan(), "docker-ce-3:27.3.1-1.el9.x86_64");

    assertThat(docker.getClassification()).isEqualTo(Classification.Other);
    assertThat(docker.getSeverity()).isEqualTo(Severity.Unspecified);
    assertThat(docker.getSource()).isEqualTo("docker-ce-stable");
    assertThat(docker.getInstalledVersion()).isEqualTo("3:26.1.3-1.el9");
  }

  @Test
  void anOlderSecurityFixIsAnUpdateOfItsOwn() {
    AgentInventory inventory = new DnfBackend(rhel9(), FACTS, CLOCK).scan();

    PendingUpdate older = find(inventory, "kernel-5.14.0-427.31.1.el9_4.x86_64");
    assertThat(older.getSeverity()).isEqualTo(Severity.Critical);
    assertThat(older.getCves()).containsExactly("CVE-2024-39472", "CVE-2024-6387");
    // Most urgent first: the critical kernel leads the list.
    assertThat(inventory.pendingUpdates().get(0).getId()).isEqualTo(older.getId());
    assertThat(inventory.pendingUpdates())
        .extracting(PendingUpdate::getClassification)
        .startsWith(
            Classification.Security,
            Classification.Security,
            Classification.Security,
            Classification.Security);
  }

  @Test
  void checkUpdateErrorsFailTheScan() {
    FakeCommandRunner runner =
        rhel9()
            .on(
                DnfBackend.CHECK_UPDATE,
                new CommandResult(1, "", "Error: Failed to download metadata for repo 'baseos'"));
    assertThatThrownBy(() -> new DnfBackend(runner, FACTS, CLOCK).scan())
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Failed to download metadata");
  }

  @Test
  void nothingPendingSkipsTheAdvisoryDetails() {
    FakeCommandRunner runner =
        rhel9()
            .on(DnfBackend.CHECK_UPDATE, CommandResult.ok(""))
            .on(DnfBackend.UPDATEINFO_LIST, CommandResult.ok(""));

    assertThat(new DnfBackend(runner, FACTS, CLOCK).scan().pendingUpdates()).isEmpty();
    assertThat(runner.invocations())
        .extracting(FakeCommandRunner.Invocation::command)
        .doesNotContain(DnfBackend.UPDATEINFO_INFO);
  }

  @Test
  void installsExactlyTheAssignedVersionsAndVerifiesThemWithRpm() {
    FakeCommandRunner runner =
        new FakeCommandRunner()
            .on(List.of("dnf", "-y", "upgrade"), new CommandResult(1, "", "Error: curl conflict"))
            .on(
                List.of("rpm", "-q", "--qf"),
                new CommandResult(
                    1,
                    "kernel\tx86_64\t0:5.14.0-427.13.1.el9_4\n"
                        + "kernel\tx86_64\t0:5.14.0-427.42.1.el9_4\n"
                        + "openssl\tx86_64\t1:3.0.7-28.el9_4\n"
                        + "curl\tx86_64\t0:7.76.1-29.el9_4\n",
                    ""))
            .on(NEEDS_RESTARTING, new CommandResult(1, "Reboot is required", ""));
    List<AssignedUpdate> assigned =
        List.of(
            new AssignedUpdate(
                "kernel-5.14.0-427.42.1.el9_4.x86_64", "kernel", "5.14.0-427.42.1.el9_4"),
            new AssignedUpdate("openssl-1:3.0.7-28.el9_4.x86_64", "openssl", "1:3.0.7-28.el9_4"),
            new AssignedUpdate("RHSA-2024:6185", "curl", "7.76.1-29.el9_4.1"));

    List<UpdateOutcome> outcomes = new DnfBackend(runner, FACTS, CLOCK).install(assigned);

    assertThat(runner.commands("dnf").get(0))
        .containsExactly(
            "dnf",
            "-y",
            "upgrade",
            "kernel-5.14.0-427.42.1.el9_4.x86_64",
            "openssl-1:3.0.7-28.el9_4.x86_64",
            "curl-7.76.1-29.el9_4.1");
    assertThat(runner.commands("rpm").get(0)).endsWith("kernel", "openssl", "curl");
    assertThat(outcomes)
        .extracting(UpdateOutcome::getId, UpdateOutcome::getResult)
        .containsExactly(
            tuple("kernel-5.14.0-427.42.1.el9_4.x86_64", UpdateResult.PendingReboot),
            tuple("openssl-1:3.0.7-28.el9_4.x86_64", UpdateResult.Installed),
            tuple("RHSA-2024:6185", UpdateResult.Failed));
    assertThat(outcomes.get(2).getMessage())
        .contains("expected 7.76.1-29.el9_4.1", "installed is 7.76.1-29.el9_4", "curl conflict");
  }

  @Test
  void refusesWhatCouldBeReadAsAnOption() {
    FakeCommandRunner runner = new FakeCommandRunner();
    List<UpdateOutcome> outcomes =
        new DnfBackend(runner, FACTS, CLOCK)
            .install(
                List.of(
                    new AssignedUpdate("x", "--setopt=gpgcheck=0", "1-1"),
                    // Would be read as a local .rpm file: from the id, and from the version.
                    new AssignedUpdate("evil-1.0.rpm", "evil", "1.0"),
                    new AssignedUpdate("v", "evil", "1.0.RPM")));

    assertThat(outcomes).extracting(UpdateOutcome::getResult).containsOnly(UpdateResult.Failed);
    assertThat(runner.invocations()).isEmpty();
  }
}
