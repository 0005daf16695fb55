package io.patchwarden.operator.window;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** When a maintenance window's occurrences start: a recurrence evaluated in a time zone. */
public sealed interface StartRule permits DateRule, CronRule {

  /**
   * The first start at or after {@code from}, or empty if there is none before {@code horizon}.
   * Starts are strictly increasing: asking again from just after a result gives the next one.
   */
  Optional<Instant> firstStartAtOrAfter(Instant from, ZoneId zone, Instant horizon);
}
