package io.patchwarden.agent.backend.simulated;

import io.patchwarden.api.common.OsFamily;
import java.util.List;

/** The operating systems a simulated fleet is made of, with their share of the fleet. */
public enum OsProfile {
  UBUNTU_2204(OsFamily.Debian, "Ubuntu", "22.04", "amd64", "jammy", 25, Packages.UBUNTU_2204),
  UBUNTU_2404(OsFamily.Debian, "Ubuntu", "24.04", "amd64", "noble", 20, Packages.UBUNTU_2404),
  DEBIAN_12(OsFamily.Debian, "Debian GNU/Linux", "12", "amd64", "bookworm", 15, Packages.DEBIAN_12),
  RHEL_9(
      OsFamily.RedHat, "Red Hat Enterprise Linux", "9.4", "x86_64", "el9_4", 15, Packages.RHEL_9),
  FEDORA_40(OsFamily.RedHat, "Fedora Linux", "40", "x86_64", "fc40", 5, Packages.FEDORA_40),
  WINDOWS_11(OsFamily.Windows, "Windows 11 Pro", "24H2", "amd64", "26100", 20, List.of());

  private final OsFamily family;
  private final String osName;
  private final String osVersion;
  private final String architecture;
  private final String release;
  private final int weight;
  private final List<String> packages;

  OsProfile(
      OsFamily family,
      String osName,
      String osVersion,
      String architecture,
      String release,
      int weight,
      List<String> packages) {
    this.family = family;
    this.osName = osName;
    this.osVersion = osVersion;
    this.architecture = architecture;
    this.release = release;
    this.weight = weight;
    this.packages = packages;
  }

  public OsFamily family() {
    return family;
  }

  public String osName() {
    return osName;
  }

  public String osVersion() {
    return osVersion;
  }

  public String architecture() {
    return architecture;
  }

  /** Codename (Debian family), dist tag (RPM) or build (Windows): what versions are made of. */
  public String release() {
    return release;
  }

  /** Relative share in a fleet. */
  public int weight() {
    return weight;
  }

  /** {@code name:upstream-version} of the packages updates are drawn for (Linux only). */
  List<String> packages() {
    return packages;
  }

  /** Picks a profile by weight from a uniform draw in [0, 1). */
  public static OsProfile pick(double draw) {
    int total = 0;
    for (OsProfile p : values()) {
      total += p.weight;
    }
    double at = draw * total;
    for (OsProfile p : values()) {
      at -= p.weight;
      if (at < 0) {
        return p;
      }
    }
    return values()[values().length - 1];
  }
}
