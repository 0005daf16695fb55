package io.patchwarden.agent.backend.simulated;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The updates a simulated fleet can have pending, per OS: one candidate version per package, with
 * classification, severity, CVE ids and release date. Machines of one OS share the catalogue, as
 * real machines share a distribution's updates, so a policy sees the same update on many machines.
 * Deterministic for a seed and reference date.
 *
 * <p>The {@link PendingUpdate}s are shared between machines and must not be modified.
 */
public final class Catalogue {

  private final Map<OsProfile, List<PendingUpdate>> updates;

  private Catalogue(Map<OsProfile, List<PendingUpdate>> updates) {
    this.updates = updates;
  }

  /**
   * @param seed what makes one catalogue differ from another
   * @param today release dates lie before it, most within the last months
   */
  public static Catalogue generate(long seed, LocalDate today) {
    Map<OsProfile, List<PendingUpdate>> all = new EnumMap<>(OsProfile.class);
    for (OsProfile os : OsProfile.values()) {
      SplittableRandom random = new SplittableRandom(seed * 31 + os.ordinal());
      List<PendingUpdate> list =
          switch (os.family()) {
            case Debian -> debian(os, random, today);
            case RedHat -> redHat(os, random, today);
            default -> windows(os, random, today);
          };
      all.put(os, Collections.unmodifiableList(list));
    }
    return new Catalogue(all);
  }

  public List<PendingUpdate> updatesFor(OsProfile os) {
    return updates.get(os);
  }

  private static List<PendingUpdate> debian(OsProfile os, SplittableRandom r, LocalDate today) {
    List<PendingUpdate> list = new ArrayList<>();
    boolean ubuntu = os.osName().equals("Ubuntu");
    for (String entry : os.packages()) {
      int colon = entry.indexOf(':');
      String name = entry.substring(0, colon);
      String upstream = entry.substring(colon + 1);
      int installed = 1 + r.nextInt(6);
      int candidate = installed + 1 + r.nextInt(3);
      boolean security = r.nextDouble() < 0.5;
      LocalDate released = releaseDate(r, today);
      PendingUpdate u = new PendingUpdate();
      u.setPackageName(name);
      u.setVersion(debianVersion(ubuntu, upstream, candidate));
      u.setInstalledVersion(debianVersion(ubuntu, upstream, installed));
      u.setId(name + "=" + u.getVersion());
      u.setClassification(security ? Classification.Security : Classification.Bugfix);
      u.setSeverity(Severity.Unspecified); // apt rates nothing; the simulator does not either
      u.setCves(security ? cves(r, released, 1 + r.nextInt(3)) : null);
      u.setReleaseDate(released.toString());
      u.setSource(os.release() + (security ? "-security" : ubuntu ? "-updates" : ""));
      list.add(u);
    }
    return list;
  }

  private static String debianVersion(boolean ubuntu, String upstream, int update) {
    return ubuntu ? upstream + "-1ubuntu1." + update : upstream + "-1+deb12u" + update;
  }

  private static List<PendingUpdate> redHat(OsProfile os, SplittableRandom r, LocalDate today) {
    List<PendingUpdate> list = new ArrayList<>();
    boolean rhel = os == OsProfile.RHEL_9;
    for (String entry : os.packages()) {
      int colon = entry.indexOf(':');
      String name = entry.substring(0, colon);
      String upstream = entry.substring(colon + 1);
      int installed = 1 + r.nextInt(40);
      int candidate = installed + 1 + r.nextInt(4);
      String arch = name.equals("tzdata") || name.equals("linux-firmware") ? "noarch" : "x86_64";
      double kind = r.nextDouble();
      LocalDate released = releaseDate(r, today);
      PendingUpdate u = new PendingUpdate();
      u.setPackageName(name);
      u.setVersion(upstream + "-" + candidate + "." + os.release());
      u.setInstalledVersion(upstream + "-" + installed + "." + os.release());
      u.setId(name + "-" + u.getVersion() + "." + arch);
      if (kind < 0.45) {
        u.setClassification(Classification.Security);
        u.setSeverity(redHatSeverity(r.nextDouble()));
        u.setCves(cves(r, released, 1 + r.nextInt(4)));
      } else {
        u.setClassification(kind < 0.85 ? Classification.Bugfix : Classification.Enhancement);
        u.setSeverity(Severity.Unspecified);
      }
      u.setReleaseDate(released.toString());
      u.setSource(
          rhel
              ? "rhel-9-for-x86_64-" + (r.nextBoolean() ? "baseos" : "appstream") + "-rpms"
              : "updates");
      list.add(u);
    }
    return list;
  }

  private static Severity redHatSeverity(double draw) {
    if (draw < 0.08) {
      return Severity.Critical;
    }
    if (draw < 0.43) {
      return Severity.High;
    }
    return draw < 0.88 ? Severity.Medium : Severity.Low;
  }

  /** A month of Windows Update as an admin sees it: the cumulative update dominates. */
  private static List<PendingUpdate> windows(OsProfile os, SplittableRandom r, LocalDate today) {
    LocalDate patchTuesday = patchTuesday(today);
    List<PendingUpdate> list = new ArrayList<>();
    int build = 3000 + r.nextInt(1000);
    list.add(
        windowsUpdate(
            r,
            "Windows11.0-KB" + kb(r) + "-x64",
            "10.0." + os.release() + "." + build,
            Classification.Security,
            Severity.Critical,
            cves(r, patchTuesday, 8 + r.nextInt(23)),
            patchTuesday));
    list.add(
        windowsUpdate(
            r,
            "NDP481-KB" + kb(r) + "-x64",
            "4.8.1." + (9000 + r.nextInt(300)),
            Classification.Security,
            Severity.High,
            cves(r, patchTuesday, 1 + r.nextInt(3)),
            patchTuesday));
    list.add(
        windowsUpdate(
            r,
            "Microsoft365Apps-KB" + kb(r),
            "16.0." + (18000 + r.nextInt(500)) + "." + (20000 + r.nextInt(100)),
            Classification.Security,
            Severity.High,
            cves(r, patchTuesday, 2 + r.nextInt(6)),
            patchTuesday));
    list.add(
        windowsUpdate(
            r,
            "Defender-Platform-KB4052623",
            "4.18.24090." + (10 + r.nextInt(20)),
            Classification.Other,
            Severity.Unspecified,
            null,
            today.minusDays(r.nextInt(20))));
    list.add(
        windowsUpdate(
            r,
            "Defender-Definitions-KB2267602",
            "1.421." + (1000 + r.nextInt(900)) + ".0",
            Classification.Other,
            Severity.Unspecified,
            null,
            today.minusDays(r.nextInt(2))));
    list.add(
        windowsUpdate(
            r,
            "Windows-KB890830-x64",
            "5." + (120 + r.nextInt(20)),
            Classification.Other,
            Severity.Unspecified,
            null,
            patchTuesday));
    list.add(
        windowsUpdate(
            r,
            "Intel-Display-Driver",
            "31.0.101." + (5000 + r.nextInt(900)),
            Classification.Driver,
            Severity.Unspecified,
            null,
            releaseDate(r, today)));
    list.add(
        windowsUpdate(
            r,
            "Realtek-Audio-Driver",
            "6.0.9" + (500 + r.nextInt(300)) + ".1",
            Classification.Driver,
            Severity.Unspecified,
            null,
            releaseDate(r, today)));
    list.add(
        windowsUpdate(
            r,
            "Windows11-FeatureUpdate-25H2",
            "10.0.26200." + (6000 + r.nextInt(900)),
            Classification.FeatureUpdate,
            Severity.Unspecified,
            null,
            releaseDate(r, today)));
    return list;
  }

  private static PendingUpdate windowsUpdate(
      SplittableRandom r,
      String name,
      String version,
      Classification classification,
      Severity severity,
      List<String> cves,
      LocalDate released) {
    PendingUpdate u = new PendingUpdate();
    int kb = name.indexOf("KB");
    // Windows names updates by KB article; drivers and feature updates by name and version.
    u.setId(kb >= 0 ? name.substring(kb).split("-")[0] : name + "-" + version);
    u.setPackageName(name);
    u.setVersion(version);
    u.setClassification(classification);
    u.setSeverity(severity);
    u.setCves(cves);
    u.setReleaseDate(released.toString());
    u.setSource("Windows Update");
    return u;
  }

  private static String kb(SplittableRandom r) {
    return "50" + (10000 + r.nextInt(89999));
  }

  /** Most updates are recent; one in ten is old, which is what makes endpoints overdue. */
  private static LocalDate releaseDate(SplittableRandom r, LocalDate today) {
    return today.minusDays(r.nextDouble() < 0.9 ? r.nextInt(120) : 120 + r.nextInt(280));
  }

  /** The second Tuesday of the month, Microsoft's release day, at or before {@code today}. */
  static LocalDate patchTuesday(LocalDate today) {
    LocalDate thisMonth = today.with(TemporalAdjusters.dayOfWeekInMonth(2, DayOfWeek.TUESDAY));
    return thisMonth.isAfter(today)
        ? today.minusMonths(1).with(TemporalAdjusters.dayOfWeekInMonth(2, DayOfWeek.TUESDAY))
        : thisMonth;
  }

  /** CVE ids are numbered in the year they are reserved, usually the year of the fix or before. */
  private static List<String> cves(SplittableRandom r, LocalDate released, int count) {
    TreeSet<String> ids = new TreeSet<>();
    while (ids.size() < count) {
      int year = released.getYear() - (r.nextDouble() < 0.2 ? 1 : 0);
      ids.add(String.format(Locale.ROOT, "CVE-%d-%04d", year, 1000 + r.nextInt(58999)));
    }
    return List.copyOf(ids);
  }
}
