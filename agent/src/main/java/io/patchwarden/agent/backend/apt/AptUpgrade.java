package io.patchwarden.agent.backend.apt;

import java.util.List;
import java.util.Locale;

/**
 * One package upgrade that {@code apt-get -s dist-upgrade} would perform.
 *
 * @param packageName package, with an architecture qualifier for foreign packages (libc6:i386)
 * @param installedVersion the version installed now
 * @param candidateVersion the version apt would install
 * @param origins where the candidate comes from, e.g. Debian-Security:12/stable-security
 * @param architecture the candidate's architecture
 */
public record AptUpgrade(
    String packageName,
    String installedVersion,
    String candidateVersion,
    List<String> origins,
    String architecture) {

  /**
   * A candidate is a security update when any archive that carries it is a security archive:
   * Ubuntu's and Debian's security suites end in -security, and Debian's origin is Debian-Security.
   * Being in the point release as well does not make it less of a fix.
   */
  public boolean security() {
    return origins.stream().anyMatch(AptUpgrade::isSecurityOrigin);
  }

  /** The suite the update comes from, the security one when there is one (e.g. jammy-security). */
  public String source() {
    String chosen =
        origins.stream()
            .filter(AptUpgrade::isSecurityOrigin)
            .findFirst()
            .orElse(origins.isEmpty() ? null : origins.get(0));
    if (chosen == null) {
      return null;
    }
    int slash = chosen.lastIndexOf('/');
    return slash >= 0 && slash < chosen.length() - 1 ? chosen.substring(slash + 1) : chosen;
  }

  private static boolean isSecurityOrigin(String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    return o.contains("-security") || o.startsWith("debian-security");
  }
}
