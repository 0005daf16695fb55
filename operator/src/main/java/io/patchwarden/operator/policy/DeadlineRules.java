package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import io.patchwarden.api.policy.Deadlines;
import io.patchwarden.operator.support.Durations;
import io.patchwarden.operator.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A policy's deadlines: how long after its release an approved update may stay missing, per
 * severity, and for updates fixing a known-exploited CVE. Pure.
 *
 * @param bySeverity deadline per severity; a missing severity has none ({@code Unspecified}
 *     defaults to medium's)
 * @param knownExploited deadline for updates fixing a CVE in the catalogue; null: none of its own
 */
public record DeadlineRules(Map<Severity, Duration> bySeverity, Duration knownExploited) {

  public static final DeadlineRules NONE = new DeadlineRules(Map.of(), null);

  public DeadlineRules {
    bySeverity = Map.copyOf(bySeverity);
  }

  public static DeadlineRules from(Deadlines deadlines) {
    if (deadlines == null) {
      return NONE;
    }
    Map<Severity, Duration> by = new EnumMap<>(Severity.class);
    put(by, Severity.Critical, deadlines.getCritical());
    put(by, Severity.High, deadlines.getHigh());
    put(by, Severity.Medium, deadlines.getMedium());
    put(by, Severity.Low, deadlines.getLow());
    put(by, Severity.Unspecified, deadlines.getUnspecified());
    if (!by.containsKey(Severity.Unspecified) && by.containsKey(Severity.Medium)) {
      // An unrated update must not escape deadlines because its source rates nothing (apt).
      by.put(Severity.Unspecified, by.get(Severity.Medium));
    }
    return new DeadlineRules(
        by,
        deadlines.getKnownExploited() == null
            ? null
            : Durations.parse(deadlines.getKnownExploited()));
  }

  private static void put(Map<Severity, Duration> by, Severity severity, String value) {
    if (value != null) {
      by.put(severity, Durations.parse(value));
    }
  }

  /**
   * When an approved update must be installed by: its severity's deadline, for a known-exploited
   * update also the knownExploited deadline and the catalogue's due date — whichever is earliest.
   * Deadlines count from {@link Update#countedFrom()}; without it only the catalogue's date
   * applies.
   *
   * @param catalogueDue the earliest catalogue due date of the CVEs the update fixes, if any
   */
  public Optional<Instant> dueBy(
      Update update, Severity severity, boolean knownExploited, Optional<Instant> catalogueDue) {
    Instant due = catalogueDue.orElse(null);
    Optional<Instant> from = update.countedFrom();
    if (from.isPresent()) {
      due = Timestamps.earlier(due, plus(from.get(), bySeverity.get(severity)));
      if (knownExploited) {
        due = Timestamps.earlier(due, plus(from.get(), this.knownExploited));
      }
    }
    return Optional.ofNullable(due);
  }

  private static Instant plus(Instant from, Duration deadline) {
    return deadline == null ? null : from.plus(deadline);
  }
}
