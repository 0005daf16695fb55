package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import java.util.Collection;

/**
 * Counts per severity, plus how many of them fix a known-exploited CVE (also counted by severity).
 * Pure value.
 */
public record SeverityTally(
    int critical, int high, int medium, int low, int unspecified, int knownExploited) {

  public static final SeverityTally ZERO = new SeverityTally(0, 0, 0, 0, 0, 0);

  public static SeverityTally of(Collection<MissingUpdate> missing) {
    int[] c = new int[Severity.values().length];
    int kev = 0;
    for (MissingUpdate m : missing) {
      c[m.severity().ordinal()]++;
      if (m.knownExploited()) {
        kev++;
      }
    }
    return new SeverityTally(
        c[Severity.Critical.ordinal()],
        c[Severity.High.ordinal()],
        c[Severity.Medium.ordinal()],
        c[Severity.Low.ordinal()],
        c[Severity.Unspecified.ordinal()],
        kev);
  }

  public SeverityTally plus(SeverityTally o) {
    return new SeverityTally(
        critical + o.critical,
        high + o.high,
        medium + o.medium,
        low + o.low,
        unspecified + o.unspecified,
        knownExploited + o.knownExploited);
  }

  public int total() {
    return critical + high + medium + low + unspecified;
  }

  public int get(Severity severity) {
    return switch (severity) {
      case Critical -> critical;
      case High -> high;
      case Medium -> medium;
      case Low -> low;
      case Unspecified -> unspecified;
    };
  }
}
