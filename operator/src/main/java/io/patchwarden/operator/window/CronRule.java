package io.patchwarden.operator.window;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * Starts from a standard 5-field (Unix) cron expression, parsed and evaluated by cron-utils in the
 * window's time zone. The expression picks local date-times, which follow the {@link WallClock}
 * rule like a {@code start} does: a time in a spring-forward gap starts at the end of the gap
 * (cron-utils would skip it), and a time that exists twice means its first occurrence (cron-utils
 * would also report the second one when asked from between the two).
 */
record CronRule(String expression, ExecutionTime executionTime) implements StartRule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /**
   * @throws IllegalArgumentException when the expression is not valid 5-field cron
   */
  static CronRule parse(String expression) {
    return new CronRule(expression, ExecutionTime.forCron(PARSER.parse(expression).validate()));
  }

  @Override
  public Optional<Instant> firstStartAtOrAfter(Instant from, ZoneId zone, Instant horizon) {
    Optional<Instant> existing = firstExistingAtOrAfter(from, zone);
    // A cron whose every match falls into gaps does not exist; without a real match there is no
    // bound for the gap search, and cron-utils takes long to find nothing for each gap.
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    Instant limit = existing.get().isBefore(horizon) ? existing.get() : horizon;
    Optional<Instant> moved = firstGapMatch(from, zone, limit);
    Instant start = moved.orElse(existing.get());
    return start.isAfter(horizon) ? Optional.empty() : Optional.of(start);
  }

  /**
   * The first match at or after {@code from} that cron-utils reports, without second occurrences of
   * repeated local times. cron-utils' next execution is strictly after its argument, to the
   * nanosecond, so asking from a nanosecond before gives "at or after".
   */
  private Optional<Instant> firstExistingAtOrAfter(Instant from, ZoneId zone) {
    Optional<ZonedDateTime> next =
        executionTime.nextExecution(ZonedDateTime.ofInstant(from.minusNanos(1), zone));
    while (next.isPresent() && isRepeat(next.get())) {
      next = executionTime.nextExecution(next.get());
    }
    return next.map(ZonedDateTime::toInstant);
  }

  /** Whether this is the second time the clock shows this local time (after falling back). */
  private static boolean isRepeat(ZonedDateTime time) {
    ZoneOffsetTransition t = time.getZone().getRules().getTransition(time.toLocalDateTime());
    return t != null && t.isOverlap() && time.getOffset().equals(t.getOffsetAfter());
  }

  /**
   * The first spring-forward gap from {@code from} to {@code limit} that contains a time the
   * expression matches: such a start moves to the end of the gap, the instant of the change.
   */
  private Optional<Instant> firstGapMatch(Instant from, ZoneId zone, Instant limit) {
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition t = rules.nextTransition(from.minusNanos(1));
    while (t != null && !t.getInstant().isAfter(limit)) {
      if (t.isGap() && matchesInGap(t)) {
        return Optional.of(t.getInstant());
      }
      t = rules.nextTransition(t.getInstant());
    }
    return Optional.empty();
  }

  /** Evaluated at the offset before the change, the gap's local times are ordinary times. */
  private boolean matchesInGap(ZoneOffsetTransition gap) {
    ZonedDateTime justBefore = gap.getDateTimeBefore().minusNanos(1).atZone(gap.getOffsetBefore());
    return executionTime
        .nextExecution(justBefore)
        .filter(next -> next.toLocalDateTime().isBefore(gap.getDateTimeAfter()))
        .isPresent();
  }
}
