package io.patchwarden.agent.backend.dnf;

import java.util.Optional;

/**
 * An RPM package identity, name-[epoch:]version-release.arch, as dnf prints it.
 *
 * @param name package name
 * @param epoch epoch, 0 when absent
 * @param version upstream version
 * @param release distribution release
 * @param arch architecture
 */
public record Nevra(String name, int epoch, String version, String release, String arch) {

  /** Parses from the right: names may contain dashes and dots, versions and releases no dashes. */
  public static Optional<Nevra> parse(String text) {
    int dot = text.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    Optional<Evr> nevr = nameEvr(text.substring(0, dot));
    return nevr.map(e -> new Nevra(e.name, e.epoch, e.version, e.release, text.substring(dot + 1)));
  }

  /** Parses {@code name.arch} and {@code [epoch:]version-release} given apart (check-update). */
  public static Optional<Nevra> of(String nameDotArch, String evr) {
    int dot = nameDotArch.lastIndexOf('.');
    Optional<Evr> parsed = nameEvr("x-" + evr);
    if (dot <= 0 || parsed.isEmpty()) {
      return Optional.empty();
    }
    Evr e = parsed.get();
    return Optional.of(
        new Nevra(
            nameDotArch.substring(0, dot),
            e.epoch,
            e.version,
            e.release,
            nameDotArch.substring(dot + 1)));
  }

  /** The version as dnf shows it: the epoch only when it is not 0. */
  public String evr() {
    return (epoch == 0 ? "" : epoch + ":") + version + "-" + release;
  }

  /** Always with the epoch, for comparing what rpm reports with what was asked for. */
  public String fullEvr() {
    return epoch + ":" + version + "-" + release;
  }

  /** The id of the update and the exact spec dnf installs. */
  @Override
  public String toString() {
    return name + "-" + evr() + "." + arch;
  }

  /**
   * {@code 1:3.0.7-27.el9} → {@code 1:3.0.7-27.el9}; {@code 3.0.7-27.el9} → {@code 0:3.0.7-27.el9}.
   */
  static String withEpoch(String evr) {
    return evr.indexOf(':') >= 0 ? evr : "0:" + evr;
  }

  private record Evr(String name, int epoch, String version, String release) {}

  private static Optional<Evr> nameEvr(String text) {
    int lastDash = text.lastIndexOf('-');
    int prevDash = lastDash <= 0 ? -1 : text.lastIndexOf('-', lastDash - 1);
    if (prevDash <= 0 || lastDash == text.length() - 1) {
      return Optional.empty();
    }
    String release = text.substring(lastDash + 1);
    String epochVersion = text.substring(prevDash + 1, lastDash);
    int colon = epochVersion.indexOf(':');
    int epoch = 0;
    if (colon >= 0) {
      try {
        epoch = Integer.parseInt(epochVersion.substring(0, colon));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    String version = epochVersion.substring(colon + 1);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Evr(text.substring(0, prevDash), epoch, version, release));
  }
}
