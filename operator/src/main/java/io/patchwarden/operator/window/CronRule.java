package io.patchwarden.operator.window;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Starts from a standard 5-field (Unix) cron expression, parsed and evaluated by cron-utils in the
 * window's time zone. Cron has minute resolution, so "at or after" is "after one second before".
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
    ZonedDateTime justBefore = ZonedDateTime.ofInstant(from.minusSeconds(1), zone);
    return executionTime
        .nextExecution(justBefore)
        .map(ZonedDateTime::toInstant)
        .filter(start -> !start.isAfter(horizon));
  }
}
