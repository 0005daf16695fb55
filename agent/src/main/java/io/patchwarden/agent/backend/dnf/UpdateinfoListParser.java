package io.patchwarden.agent.backend.dnf;

import io.patchwarden.api.common.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code dnf -q updateinfo list --updates}: which advisory covers which available package.
 * Both dnf 4 and dnf 5 layouts are understood:
 *
 * <pre>
 * RHSA-2024:2394 Important/Sec. kernel-5.14.0-427.13.1.el9_4.x86_64          (dnf 4)
 * FEDORA-2024-1b2c3d4e5f security Moderate curl-8.6.0-8.fc40.x86_64 2024-05-01 12:00:00 (dnf 5)
 * </pre>
 */
public final class UpdateinfoListParser {

  /**
   * One package of one advisory.
   *
   * @param advisory advisory id, e.g. RHSA-2024:2394
   * @param type advisory type
   * @param severity severity as the list shows it (dnf 4 only for security advisories)
   * @param nevra the package the advisory brings
   */
  public record Entry(String advisory, AdvisoryType type, Severity severity, Nevra nevra) {}

  private static final Set<String> DNF5_TYPES =
      Set.of("security", "bugfix", "enhancement", "newpackage", "unspecified", "unknown");

  private static final String SECURITY_SUFFIX = "/Sec.";

  private UpdateinfoListParser() {}

  public static List<Entry> parse(String output) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : output.split("\n")) {
      String[] t = raw.strip().split("\\s+");
      if (t.length == 3) {
        dnf4(t).ifPresent(entries::add);
      } else if (t.length >= 4 && DNF5_TYPES.contains(t[1].toLowerCase(Locale.ROOT))) {
        String id = t[0];
        AdvisoryType type = AdvisoryType.of(t[1]);
        Severity severity = RedHatSeverity.of(t[2]);
        Nevra.parse(t[3]).ifPresent(n -> entries.add(new Entry(id, type, severity, n)));
      }
    }
    return entries;
  }

  /** dnf 4 folds type and severity into one label: Important/Sec., bugfix, enhancement, ... */
  private static Optional<Entry> dnf4(String[] t) {
    String label = t[1];
    boolean security = label.endsWith(SECURITY_SUFFIX);
    AdvisoryType type = security ? AdvisoryType.SECURITY : AdvisoryType.of(label);
    Severity severity =
        security
            ? RedHatSeverity.of(label.substring(0, label.length() - SECURITY_SUFFIX.length()))
            : Severity.Unspecified;
    return Nevra.parse(t[2]).map(n -> new Entry(t[0], type, severity, n));
  }
}
