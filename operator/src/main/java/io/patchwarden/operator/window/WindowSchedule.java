package io.patchwarden.operator.window;

import io.patchwarden.operator.support.DateOrTimestamp;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A maintenance window's schedule, independent of time zone: when occurrences start, how long they
 * last, when the window is frozen (exclusions) and when it is active at all. Evaluate it in a zone
 * with {@link #in(ZoneId)}; a {@code Local} window is evaluated once per target zone.
 *
 * @param starts when occurrences start
 * @param duration how long each occurrence lasts, in real time (15m..7d)
 * @param exclusions change freezes: an occurrence is closed while it overlaps one (cut, not
 *     dropped: the parts outside the freeze stay open)
 * @param activeFrom no occurrence before this (null: no bound); a date means its first instant
 * @param activeUntil no occurrence after this (null: no bound); a date is inclusive
 */
public record WindowSchedule(
    StartRule starts,
    Duration duration,
    List<Exclusion> exclusions,
    DateOrTimestamp activeFrom,
    DateOrTimestamp activeUntil) {

  public WindowSchedule {
    Objects.requireNonNull(starts, "starts");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    exclusions = List.copyOf(exclusions);
  }

  /** A named change freeze; dates are inclusive and read in the zone the window is evaluated in. */
  public record Exclusion(String name, DateOrTimestamp from, DateOrTimestamp to) {}

  /** The schedule's occurrences in a time zone. */
  public Timeline in(ZoneId zone) {
    return new Timeline(this, zone);
  }
}
