package io.patchwarden.agent.backend.dnf;

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
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RHEL, Fedora and their relatives: dnf for what is pending (with the advisories' type, severity
 * and CVEs) and for installing, rpm for what is installed.
 */
public final class DnfBackend implements Backend {

  static final List<String> CHECK_UPDATE = List.of("dnf", "-q", "check-update");
  static final List<String> UPDATEINFO_LIST =
      List.of("dnf", "-q", "updateinfo", "list", "--updates");
  static final List<String> UPDATEINFO_INFO =
      List.of("dnf", "-q", "updateinfo", "info", "--updates");
  static final String RPM_FORMAT = "%{NAME}\\t%{ARCH}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n";
  static final List<String> RPM_INSTALLED = List.of("rpm", "-qa", "--qf", RPM_FORMAT);

  /** check-update: 100 means updates are available, 0 none; anything else is an error. */
  private static final int UPDATES_AVAILABLE = 100;

  /** What dnf's needs-restarting treats as needing a reboot, plus every kernel package. */
  private static final Set<String> REBOOT_PACKAGES =
      Set.of(
          "glibc",
          "linux-firmware",
          "systemd",
          "dbus",
          "dbus-broker",
          "dbus-daemon",
          "microcode_ctl");

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_+][A-Za-z0-9_.+-]*$");
  private static final Pattern SPEC = Pattern.compile("^[A-Za-z0-9_+][A-Za-z0-9_.+:~^-]*$");
  private static final Pattern EVR = Pattern.compile("^([0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+~^-]*$");

  private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration INSTALL_TIMEOUT = Duration.ofHours(1);
  private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

  private final CommandRunner runner;
  private final HostFacts facts;
  private final Clock clock;

  public DnfBackend(CommandRunner runner, HostFacts facts, Clock clock) {
    this.runner = runner;
    this.facts = facts;
    this.clock = clock;
  }

  public static DnfBackend system() {
    return new DnfBackend(new ProcessCommandRunner(), HostFacts.detect(), Clock.systemUTC());
  }

  @Override
  public AgentInventory scan() {
    CommandResult check = runner.run(CHECK_UPDATE, SCAN_TIMEOUT);
    if (check.exitCode() != 0 && check.exitCode() != UPDATES_AVAILABLE) {
      throw new BackendException("dnf check-update failed: " + check.tail(500));
    }
    List<UpdateinfoListParser.Entry> entries =
        UpdateinfoListParser.parse(succeeded(runner.run(UPDATEINFO_LIST, SCAN_TIMEOUT)));
    Map<String, UpdateinfoInfoParser.Advisory> advisories =
        entries.isEmpty()
            ? Map.of()
            : UpdateinfoInfoParser.parse(succeeded(runner.run(UPDATEINFO_INFO, SCAN_TIMEOUT)));
    List<Installed> installed = installed(succeeded(runner.run(RPM_INSTALLED, QUERY_TIMEOUT)));
    List<PendingUpdate> pending =
        merge(CheckUpdateParser.parse(check.stdout()), entries, advisories, installed);
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
        (int) installed.stream().filter(i -> !i.name().equals("gpg-pubkey")).count(),
        PendingUpdates.normalize(pending),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /**
   * One pending update per candidate package version. The newest version of every package comes
   * from check-update; advisories may add older intermediate versions (a security fix released
   * before a later bugfix), which a policy can approve on their own, as dnf's upgrade-minimal
   * would. A package version in several advisories takes the most serious of them.
   */
  static List<PendingUpdate> merge(
      List<CheckUpdateParser.Available> available,
      List<UpdateinfoListParser.Entry> entries,
      Map<String, UpdateinfoInfoParser.Advisory> advisories,
      List<Installed> installed) {
    Map<String, String> repositories = new HashMap<>();
    Map<String, Nevra> candidates = new LinkedHashMap<>();
    for (CheckUpdateParser.Available a : available) {
      candidates.put(a.nevra().toString(), a.nevra());
      repositories.put(a.nevra().toString(), a.repository());
    }
    Map<String, List<UpdateinfoListParser.Entry>> byNevra = new HashMap<>();
    for (UpdateinfoListParser.Entry e : entries) {
      candidates.putIfAbsent(e.nevra().toString(), e.nevra());
      byNevra.computeIfAbsent(e.nevra().toString(), k -> new ArrayList<>()).add(e);
    }
    Map<String, String> installedVersions = new HashMap<>();
    for (Installed i : installed) {
      installedVersions.put(i.name() + "." + i.arch(), i.evr());
    }
    List<PendingUpdate> result = new ArrayList<>();
    for (Nevra n : candidates.values()) {
      result.add(
          pendingUpdate(
              n,
              byNevra.getOrDefault(n.toString(), List.of()),
              advisories,
              repositories.get(n.toString()),
              installedVersions.get(n.name() + "." + n.arch())));
    }
    return result;
  }

  private static PendingUpdate pendingUpdate(
      Nevra n,
      List<UpdateinfoListParser.Entry> entries,
      Map<String, UpdateinfoInfoParser.Advisory> advisories,
      String repository,
      String installedEvr) {
    PendingUpdate u = new PendingUpdate();
    u.setId(n.toString());
    u.setPackageName(n.name());
    u.setVersion(n.evr());
    u.setInstalledVersion(installedEvr == null ? null : withoutZeroEpoch(installedEvr));
    u.setSource(repository);
    // Without an advisory (third-party repositories) nobody classified the update.
    Classification classification = Classification.Other;
    Severity severity = Severity.Unspecified;
    Set<String> cves = new LinkedHashSet<>();
    String released = null;
    for (UpdateinfoListParser.Entry e : entries) {
      UpdateinfoInfoParser.Advisory a = advisories.get(e.advisory());
      AdvisoryType type = a != null && a.type() != AdvisoryType.UNKNOWN ? a.type() : e.type();
      classification = moreUrgent(classification, type.classification());
      Severity s = a != null && a.severity() != Severity.Unspecified ? a.severity() : e.severity();
      severity = s.compareTo(severity) > 0 ? s : severity;
      if (a != null) {
        cves.addAll(a.cves());
        if (a.issued() != null && (released == null || a.issued().compareTo(released) > 0)) {
          released = a.issued();
        }
      }
    }
    u.setClassification(classification);
    u.setSeverity(severity);
    u.setCves(cves.isEmpty() ? null : cves.stream().sorted().limit(64).toList());
    u.setReleaseDate(released);
    return u;
  }

  private static Classification moreUrgent(Classification current, Classification next) {
    List<Classification> rank =
        List.of(
            Classification.Security,
            Classification.Bugfix,
            Classification.Enhancement,
            Classification.Other);
    Comparator<Classification> byRank =
        Comparator.comparingInt(c -> rank.contains(c) ? rank.indexOf(c) : rank.size());
    return byRank.compare(next, current) < 0 ? next : current;
  }

  @Override
  public List<UpdateOutcome> install(List<AssignedUpdate> updates) {
    List<String> command = new ArrayList<>(List.of("dnf", "-y", "upgrade"));
    List<AssignedUpdate> valid = new ArrayList<>();
    for (AssignedUpdate u : updates) {
      if (isValid(u)) {
        valid.add(u);
        command.add(spec(u));
      }
    }
    CommandResult result = valid.isEmpty() ? null : runner.run(command, INSTALL_TIMEOUT);
    Map<String, List<Installed>> after = new HashMap<>();
    if (!valid.isEmpty()) {
      List<String> query = new ArrayList<>(List.of("rpm", "-q", "--qf", RPM_FORMAT));
      valid.stream().map(AssignedUpdate::getPackageName).distinct().forEach(query::add);
      // Exit code 1 only says some package is not installed; the others are still listed.
      for (Installed i : installed(runner.run(query, QUERY_TIMEOUT).stdout())) {
        after.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i);
      }
    }
    boolean reboot = !valid.isEmpty() && rebootRequired();
    List<UpdateOutcome> outcomes = new ArrayList<>();
    for (AssignedUpdate u : updates) {
      if (!valid.contains(u)) {
        outcomes.add(
            new UpdateOutcome(
                u.getId(), UpdateResult.Failed, "not a valid RPM package name and version"));
        continue;
      }
      outcomes.add(outcome(u, after.getOrDefault(u.getPackageName(), List.of()), result, reboot));
    }
    return outcomes;
  }

  /** Decided by what rpm has afterwards: a failed transaction may still leave others in place. */
  private static UpdateOutcome outcome(
      AssignedUpdate u, List<Installed> installed, CommandResult result, boolean reboot) {
    String wanted = Nevra.withEpoch(u.getVersion());
    if (installed.stream().anyMatch(i -> i.evr().equals(wanted))) {
      return reboot && needsReboot(u.getPackageName())
          ? new UpdateOutcome(u.getId(), UpdateResult.PendingReboot, null)
          : new UpdateOutcome(u.getId(), UpdateResult.Installed, null);
    }
    String now =
        installed.isEmpty()
            ? "not installed"
            : "installed is " + withoutZeroEpoch(installed.get(0).evr());
    String message = "expected " + u.getVersion() + ", " + now + ": " + result.tail(800);
    return new UpdateOutcome(
        u.getId(), UpdateResult.Failed, message.substring(0, Math.min(1024, message.length())));
  }

  /**
   * The update id is the NEVRA when it names this package and version, which pins the architecture
   * as well; otherwise name-version, which dnf resolves for the machine's arch.
   */
  static String spec(AssignedUpdate u) {
    String nameVersion = u.getPackageName() + "-" + u.getVersion();
    return Objects.toString(u.getId(), "").startsWith(nameVersion + ".")
            && SPEC.matcher(u.getId()).matches()
        ? u.getId()
        : nameVersion;
  }

  static boolean isValid(AssignedUpdate u) {
    return u.getPackageName() != null
        && u.getVersion() != null
        && NAME.matcher(u.getPackageName()).matches()
        && EVR.matcher(u.getVersion()).matches()
        // dnf reads a spec ending in .rpm as a package file (a path, relative to the working
        // directory): only packages from the configured repositories.
        && !spec(u).toLowerCase(java.util.Locale.ROOT).endsWith(".rpm");
  }

  private static boolean needsReboot(String name) {
    return name.startsWith("kernel") || REBOOT_PACKAGES.contains(name);
  }

  /** {@code needs-restarting -r} exits 1 when a reboot is needed; without the plugin: unknown. */
  @Override
  public boolean rebootRequired() {
    try {
      return runner.run(List.of("dnf", "-q", "needs-restarting", "-r"), QUERY_TIMEOUT).exitCode()
          == 1;
    } catch (BackendException e) {
      return false;
    }
  }

  private String kernel() {
    CommandResult uname = runner.run(List.of("uname", "-r"), QUERY_TIMEOUT);
    if (uname.exitCode() != 0 || uname.stdout().isBlank()) {
      throw new BackendException("uname -r failed: " + uname.tail(200));
    }
    return uname.stdout().strip();
  }

  private static String succeeded(CommandResult result) {
    if (result.exitCode() != 0) {
      throw new BackendException("dnf/rpm query failed: " + result.tail(500));
    }
    return result.stdout();
  }

  /**
   * An installed package, in the format this backend asks rpm for.
   *
   * @param name name
   * @param arch architecture
   * @param evr epoch:version-release, with the epoch always present
   */
  record Installed(String name, String arch, String evr) {}

  static List<Installed> installed(String output) {
    List<Installed> result = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3) {
        result.add(new Installed(f[0], f[1], f[2].strip()));
      }
    }
    return result;
  }

  private static String withoutZeroEpoch(String evr) {
    return evr.startsWith("0:") ? evr.substring(2) : evr;
  }
}
