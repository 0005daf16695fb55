package io.patchwarden.agent.backend.simulated;

import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A plausible machine: OS, site, role, kernel, and which catalogue updates it lacks.
 *
 * @param index position in the fleet
 * @param machineId stable id, derived from seed and index
 * @param os its operating system
 * @param facts hostname, OS, architecture, time zone
 * @param kernelVersion running kernel (OS build on Windows)
 * @param installedCount installed packages (installed updates on Windows)
 * @param pending the updates it lacks, a subset of the catalogue
 * @param rebootRequired whether it already waits for a reboot
 * @param labels labels proposed at enrollment (role, site)
 */
public record SimulatedMachine(
    int index,
    String machineId,
    OsProfile os,
    HostFacts facts,
    String kernelVersion,
    int installedCount,
    List<PendingUpdate> pending,
    boolean rebootRequired,
    Map<String, String> labels) {

  private record Site(String name, String timeZone) {}

  private static final List<Site> SITES =
      List.of(
          new Site("berlin", "Europe/Berlin"),
          new Site("berlin", "Europe/Berlin"),
          new Site("munich", "Europe/Berlin"),
          new Site("vienna", "Europe/Vienna"),
          new Site("zurich", "Europe/Zurich"),
          new Site("newyork", "America/New_York"));

  /** The machine at {@code index} of the fleet of {@code seed}; the same every time. */
  public static SimulatedMachine create(Catalogue catalogue, long seed, int index) {
    SplittableRandom r = randomFor(seed, index);
    OsProfile os = OsProfile.pick(r.nextDouble());
    String role = role(os, r.nextDouble());
    Site site = SITES.get(r.nextInt(SITES.size()));
    String timeZone = role.equals("server") && r.nextBoolean() ? "UTC" : site.timeZone();
    String hostname = String.format(Locale.ROOT, "%s-%s-%05d", site.name(), role, index);
    HostFacts facts =
        new HostFacts(
            hostname, os.family(), os.osName(), os.osVersion(), os.architecture(), timeZone);
    return new SimulatedMachine(
        index,
        machineId(seed, index),
        os,
        facts,
        kernel(os, r),
        installedCount(os, role, r),
        pending(catalogue.updatesFor(os), r),
        r.nextDouble() < 0.05,
        Map.of(
            "patchwarden.io/role",
            role,
            "patchwarden.io/site",
            site.name(),
            "patchwarden.io/simulated",
            "true"));
  }

  /** Seed and index mixed so that neighbouring machines do not get correlated draws. */
  static SplittableRandom randomFor(long seed, int index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
  }

  /** A name-based UUID: stable across runs, distinct across seeds, valid for the gateway. */
  public static String machineId(long seed, int index) {
    return "sim-"
        + UUID.nameUUIDFromBytes(
            ("patchwarden-simulator/" + seed + "/" + index).getBytes(StandardCharsets.UTF_8));
  }

  private static String role(OsProfile os, double draw) {
    return switch (os) {
      case WINDOWS_11 -> draw < 0.6 ? "laptop" : "desktop";
      case UBUNTU_2204, UBUNTU_2404 -> draw < 0.3 ? "laptop" : draw < 0.5 ? "desktop" : "server";
      case FEDORA_40 -> "laptop";
      default -> "server";
    };
  }

  private static String kernel(OsProfile os, SplittableRandom r) {
    return switch (os) {
      case UBUNTU_2204 -> "5.15.0-" + (100 + r.nextInt(30)) + "-generic";
      case UBUNTU_2404 -> "6.8.0-" + (30 + r.nextInt(30)) + "-generic";
      case DEBIAN_12 -> "6.1.0-" + (18 + r.nextInt(12)) + "-amd64";
      case RHEL_9 -> "5.14.0-427." + (13 + r.nextInt(30)) + ".1.el9_4.x86_64";
      case FEDORA_40 -> "6." + (8 + r.nextInt(4)) + "." + r.nextInt(12) + "-300.fc40.x86_64";
      case WINDOWS_11 -> "10.0.26100." + (3000 + r.nextInt(1000));
    };
  }

  private static int installedCount(OsProfile os, String role, SplittableRandom r) {
    if (os == OsProfile.WINDOWS_11) {
      return 80 + r.nextInt(120);
    }
    return role.equals("server") ? 450 + r.nextInt(600) : 1500 + r.nextInt(1200);
  }

  /**
   * One machine in ten is fully patched; the others lack a handful to a few dozen updates, drawn
   * without repetition.
   */
  private static List<PendingUpdate> pending(List<PendingUpdate> catalogue, SplittableRandom r) {
    if (r.nextDouble() < 0.1) {
      return List.of();
    }
    int count = Math.min(catalogue.size(), 1 + (int) (-Math.log(1 - r.nextDouble()) * 10));
    List<PendingUpdate> pool = new ArrayList<>(catalogue);
    List<PendingUpdate> chosen = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      chosen.add(pool.remove(r.nextInt(pool.size())));
    }
    return List.copyOf(chosen);
  }
}
