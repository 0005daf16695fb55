package io.patchwarden.operator.support;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * A value that is either a calendar date ({@code 2026-12-20}) or an RFC 3339 timestamp. A date
 * covers the whole day in a given time zone: it starts at the day's first instant and, as an
 * inclusive end, ends at the next day's first instant.
 */
public final class DateOrTimestamp {
  private final LocalDate date;
  private final Instant instant;

  private DateOrTimestamp(LocalDate date, Instant instant) {
    this.date = date;
    this.instant = instant;
  }

  /**
   * @throws IllegalArgumentException with a message suitable for a condition
   */
  public static DateOrTimestamp parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("is missing");
    }
    try {
      if (value.length() == 10) {
        return new DateOrTimestamp(LocalDate.parse(value), null);
      }
      return new DateOrTimestamp(null, OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a valid date (YYYY-MM-DD) or RFC 3339 timestamp", e);
    }
  }

  /** The first instant covered. */
  public Instant start(ZoneId zone) {
    return date != null ? date.atStartOfDay(zone).toInstant() : instant;
  }

  /** The instant after the last one covered, reading a date as inclusive. */
  public Instant endExclusive(ZoneId zone) {
    return date != null ? date.plusDays(1).atStartOfDay(zone).toInstant() : instant;
  }

  public boolean isDate() {
    return date != null;
  }
}
