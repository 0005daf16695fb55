package io.patchwarden.agent.backend.apt;

import io.patchwarden.agent.AgentVersion;
import io.patchwarden.agent.backend.Backend;
import io.patchwarden.agent.backend.BackendException;
import io.patchwarden.agent.backend.CommandResult;
import io.patchwarden.agent.backend.CommandRunner;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.backend.PendingUpdates;
import io.patchwarden.agent.backend.ProcessCommandRunner;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Debian and Ubuntu: apt for what is pending and for installing, dpkg for what is installed. */
public final class AptBackend implements Backend {

  /** Simulates a full upgrade; Debug::NoLocking lets it run while apt-daily holds the lock. */
  static final List<String> SIMULATE =
      List.of("apt-get", "-s", "-o", "Debug::NoLocking=1", "dist-upgrade");

  private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration INSTALL_TIMEOUT = Duration.ofHours(1);
  private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);

  /** Debian policy: lower-case name, optionally qualified with an architecture (libc6:i386). */
  private static final Pattern PACKAGE = Pattern.compile("^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$");

  /** Debian policy: [epoch:]upstream[-revision]; no character an option parser would read. */
  private static final Pattern VERSION = Pattern.compile("^[0-9][A-Za-z0-9.+~:-]*$");

  /**
   * Unattended, and keeping the admin's changed config files: a prompt would hang the install until
   * its timeout.
   */
  private static final Map<String, String> INSTALL_ENV =
      Map.of("DEBIAN_FRONTEND", "noninteractive", "NEEDRESTART_MODE", "a");

  private final CommandRunner runner;
  private final HostFacts facts;
  private final Path rebootRequiredFile;
  private final Clock clock;

  public AptBackend(CommandRunner runner, HostFacts facts, Path rebootRequiredFile, Clock clock) {
    this.runner = runner;
    this.facts = facts;
    this.rebootRequiredFile = rebootRequiredFile;
    this.clock = clock;
  }

  /** The backend of this machine. */
  public static AptBackend system() {
    return new AptBackend(
        new ProcessCommandRunner(),
        HostFacts.detect(),
        Path.of("/var/run/reboot-required"),
        Clock.systemUTC());
  }

  @Override
  public AgentInventory scan() {
    CommandResult simulation = runner.run(SIMULATE, SCAN_TIMEOUT);
    if (simulation.exitCode() != 0) {
      throw new BackendException("apt-get -s dist-upgrade failed: " + simulation.tail(500));
    }
    List<PendingUpdate> pending = new ArrayList<>();
    for (AptUpgrade upgrade : AptUpgradeParser.parse(simulation.stdout())) {
      pending.add(pendingUpdate(upgrade));
    }
    CommandResult status = runner.run(DpkgQuery.STATUS_COMMAND, QUERY_TIMEOUT);
    if (status.exitCode() != 0) {
      throw new BackendException("dpkg-query failed: " + status.tail(500));
    }
    return new AgentInventory(
        facts.hostname(),
        facts.osFamily(),
        facts.osName(),
        facts.osVersion(),
        kernel(),
        facts.architecture(),
        facts.timeZone(),
        AgentVersion.get(),
        rebootRequired(),
        DpkgQuery.countInstalled(status.stdout()),
        PendingUpdates.normalize(pending),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** apt rates nothing, so severity stays Unspecified; the suite is all there is to classify. */
  static PendingUpdate pendingUpdate(AptUpgrade upgrade) {
    PendingUpdate u = new PendingUpdate();
    u.setId(upgrade.packageName() + "=" + upgrade.candidateVersion());
    u.setPackageName(upgrade.packageName());
    u.setVersion(upgrade.candidateVersion());
    u.setInstalledVersion(upgrade.installedVersion());
    u.setClassification(upgrade.security() ? Classification.Security : Classification.Bugfix);
    u.setSeverity(Severity.Unspecified);
    u.setSource(upgrade.source());
    return u;
  }

  @Override
  public List<UpdateOutcome> install(List<AssignedUpdate> updates) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "apt-get",
                "install",
                "-y",
                "--only-upgrade",
                "-o",
                "Dpkg::Options::=--force-confdef",
                "-o",
                "Dpkg::Options::=--force-confold"));
    List<AssignedUpdate> valid = new ArrayList<>();
    for (AssignedUpdate u : updates) {
      if (isValid(u)) {
        valid.add(u);
        command.add(u.getPackageName() + "=" + u.getVersion());
      }
    }
    CommandResult result = null;
    if (!valid.isEmpty()) {
      result = runner.run(command, INSTALL_ENV, INSTALL_TIMEOUT);
    }
    List<DpkgQuery.Installed> installed = valid.isEmpty() ? List.of() : installedVersions(valid);
    Set<String> needReboot = rebootRequired() ? rebootPackages() : Set.of();
    List<UpdateOutcome> outcomes = new ArrayList<>();
    for (AssignedUpdate u : updates) {
      outcomes.add(outcome(u, valid.contains(u), result, installed, needReboot));
    }
    return outcomes;
  }

  /**
   * Decided by what dpkg has afterwards, not by apt's exit code: one broken package fails the whole
   * apt run, yet the others may be installed, and the report must say which.
   */
  private static UpdateOutcome outcome(
      AssignedUpdate u,
      boolean valid,
      CommandResult result,
      List<DpkgQuery.Installed> installed,
      Set<String> needReboot) {
    if (!valid) {
      return new UpdateOutcome(
          u.getId(), UpdateResult.Failed, "not a valid Debian package name and version");
    }
    String name = baseName(u.getPackageName());
    String arch = architecture(u.getPackageName());
    List<DpkgQuery.Installed> matching =
        installed.stream()
            .filter(i -> i.name().equals(name) && (arch == null || i.architecture().equals(arch)))
            .toList();
    if (matching.stream().anyMatch(i -> i.installed() && i.version().equals(u.getVersion()))) {
      return needReboot.contains(name)
          ? new UpdateOutcome(u.getId(), UpdateResult.PendingReboot, null)
          : new UpdateOutcome(u.getId(), UpdateResult.Installed, null);
    }
    String now = matching.isEmpty() ? "not installed" : "installed is " + matching.get(0).version();
    String detail = result == null ? "" : ": " + result.tail(800);
    return new UpdateOutcome(
        u.getId(),
        UpdateResult.Failed,
        cut("expected " + u.getVersion() + ", " + now + detail, 1024));
  }

  private List<DpkgQuery.Installed> installedVersions(List<AssignedUpdate> updates) {
    List<String> command =
        new ArrayList<>(List.of("dpkg-query", "-W", "-f", DpkgQuery.VERSION_FORMAT));
    updates.forEach(u -> command.add(u.getPackageName()));
    // Exit code 1 only says that some package is unknown; the others are still listed.
    return DpkgQuery.versions(runner.run(command, QUERY_TIMEOUT).stdout());
  }

  /** Debian's update-notifier lists the packages that asked for the reboot next to the flag. */
  private Set<String> rebootPackages() {
    Path pkgs = rebootRequiredFile.resolveSibling(rebootRequiredFile.getFileName() + ".pkgs");
    try {
      Set<String> names = new HashSet<>();
      for (String line : Files.readAllLines(pkgs)) {
        if (!line.isBlank()) {
          names.add(baseName(line.strip()));
        }
      }
      return names;
    } catch (IOException e) {
      return Set.of();
    }
  }

  @Override
  public boolean rebootRequired() {
    return Files.exists(rebootRequiredFile);
  }

  private String kernel() {
    CommandResult uname = runner.run(List.of("uname", "-r"), QUERY_TIMEOUT);
    if (uname.exitCode() != 0 || uname.stdout().isBlank()) {
      throw new BackendException("uname -r failed: " + uname.tail(200));
    }
    return uname.stdout().strip();
  }

  static boolean isValid(AssignedUpdate u) {
    return u.getPackageName() != null
        && u.getVersion() != null
        && PACKAGE.matcher(u.getPackageName()).matches()
        && VERSION.matcher(u.getVersion()).matches()
        // apt-get reads an argument ending in .deb as a local package file, which it installs
        // without any repository signature: only packages from the configured sources.
        && !u.getVersion().toLowerCase(java.util.Locale.ROOT).endsWith(".deb");
  }

  private static String baseName(String packageName) {
    int colon = packageName.indexOf(':');
    return colon < 0 ? packageName : packageName.substring(0, colon);
  }

  private static String architecture(String packageName) {
    int colon = packageName.indexOf(':');
    return colon < 0 ? null : packageName.substring(colon + 1);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
