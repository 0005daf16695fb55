package io.patchwarden.agent.backend.dnf;

import io.patchwarden.api.common.Severity;
import java.util.Locale;

/** Red Hat's and Fedora's advisory severities on Patchwarden's scale. */
final class RedHatSeverity {
  private RedHatSeverity() {}

  /** Critical/Important/Moderate/Low; anything else (None, empty) is Unspecified, not Low. */
  static Severity of(String text) {
    if (text == null) {
      return Severity.Unspecified;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "critical" -> Severity.Critical;
      case "important" -> Severity.High;
      case "moderate" -> Severity.Medium;
      case "low" -> Severity.Low;
      default -> Severity.Unspecified;
    };
  }
}
