package io.patchwarden.agent.backend.apt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code Inst} lines of {@code apt-get -s dist-upgrade}. That output, unlike {@code apt
 * list --upgradable}, names every archive (origin and suite) that carries the candidate, which is
 * what tells a security update from a point-release fix. Its format has been stable for decades:
 *
 * <pre>
 * Inst libssl3 [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian:12.8/stable, Debian-Security:12/stable-security [amd64]) []
 * </pre>
 */
public final class AptUpgradeParser {

  private static final Pattern INST =
      Pattern.compile(
          "^Inst (?<pkg>\\S+) (?:\\[(?<old>[^\\]]+)] )?\\((?<new>\\S+)(?: (?<origins>.*?))?"
              + " \\[(?<arch>[^\\]]+)]\\).*$");

  private AptUpgradeParser() {}

  /**
   * Upgrades of installed packages. Packages that would be newly installed are left out: they are
   * dependencies of an upgrade, arrive with it, and cannot be targeted by {@code --only-upgrade}.
   */
  public static List<AptUpgrade> parse(String output) {
    List<AptUpgrade> upgrades = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher m = INST.matcher(line.stripTrailing());
      if (!m.matches() || m.group("old") == null) {
        continue;
      }
      String origins = m.group("origins");
      upgrades.add(
          new AptUpgrade(
              m.group("pkg"),
              m.group("old"),
              m.group("new"),
              origins == null || origins.isBlank()
                  ? List.of()
                  : Arrays.stream(origins.split(",")).map(String::strip).toList(),
              m.group("arch")));
    }
    return upgrades;
  }
}
