package io.patchwarden.operator.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A recurrence that picks calendar dates (weekly, monthly, once) and starts at a local time on each
 * of them, resolved by the {@link WallClock} rule.
 */
record DateRule(DateSequence dates, LocalTime start) implements StartRule {

  @Override
  public Optional<Instant> firstStartAtOrAfter(Instant from, ZoneId zone, Instant horizon) {
    // Start a day early: a start in the evening of the previous local date is in the past, but
    // the resolved start of "today" may be before `from` after a DST change, so look at both.
    LocalDate date = LocalDate.ofInstant(from, zone).minusDays(1);
    LocalDate last = LocalDate.ofInstant(horizon, zone).plusDays(1);
    while (true) {
      Optional<LocalDate> next = dates.firstOnOrAfter(date);
      if (next.isEmpty() || next.get().isAfter(last)) {
        return Optional.empty();
      }
      Instant candidate = WallClock.resolve(next.get(), start, zone);
      if (!candidate.isBefore(from)) {
        return candidate.isAfter(horizon) ? Optional.empty() : Optional.of(candidate);
      }
      date = next.get().plusDays(1);
    }
  }
}
