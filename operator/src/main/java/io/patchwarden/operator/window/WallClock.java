package io.patchwarden.operator.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * Turns a local date and time into an instant, with one rule for daylight-saving changes:
 *
 * <ul>
 *   <li>a time that does not exist (spring forward, e.g. 02:30 in Europe/Berlin on the last Sunday
 *       of March) starts at the end of the gap (03:00 local): skipped forward, never lost;
 *   <li>a time that exists twice (fall back) means its first occurrence, so the window happens
 *       once.
 * </ul>
 *
 * <p>Durations are then real time: a 4-hour window across a change lasts 4 hours.
 */
final class WallClock {
  private WallClock() {}

  static Instant resolve(LocalDate date, LocalTime time, ZoneId zone) {
    LocalDateTime local = LocalDateTime.of(date, time);
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    // For an overlap ZonedDateTime.of keeps the earlier offset, i.e. the first occurrence.
    return ZonedDateTime.of(local, zone).toInstant();
  }
}
