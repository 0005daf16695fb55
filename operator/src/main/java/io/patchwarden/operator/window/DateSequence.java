package io.patchwarden.operator.window;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The calendar dates a date-based recurrence picks, in increasing order. */
sealed interface DateSequence {

  /** The first picked date on or after {@code date}; empty when there is none ever. */
  Optional<LocalDate> firstOnOrAfter(LocalDate date);

  /** Every week on the given days. */
  record Weekly(Set<DayOfWeek> days) implements DateSequence {
    public Weekly {
      if (days.isEmpty()) {
        throw new IllegalArgumentException("a weekly recurrence needs at least one day");
      }
      days = Set.copyOf(EnumSet.copyOf(days));
    }

    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate date) {
      LocalDate d = date;
      while (!days.contains(d.getDayOfWeek())) {
        d = d.plusDays(1);
      }
      return Optional.of(d);
    }
  }

  /**
   * The n-th (or last) given weekday of each month, shifted by {@code offsetDays}: "second Tuesday
   * + 2" is the Thursday after Patch Tuesday, even when that falls in the next month.
   */
  record MonthlyWeekday(int ordinal, DayOfWeek day, int offsetDays) implements DateSequence {
    /** The ordinal meaning "last" (1..4 are first..fourth). */
    public static final int LAST = -1;

    public MonthlyWeekday {
      if (ordinal != LAST && (ordinal < 1 || ordinal > 4)) {
        throw new IllegalArgumentException("ordinal must be 1..4 or LAST: " + ordinal);
      }
      if (Math.abs(offsetDays) > 30) {
        throw new IllegalArgumentException("offsetDays must be within -30..30: " + offsetDays);
      }
    }

    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate date) {
      // The offset can move a month's date into a neighbouring month: start two months back.
      // Consecutive months give increasing dates (the offset is the same for all of them).
      YearMonth month = YearMonth.from(date).minusMonths(2);
      while (true) {
        LocalDate candidate = in(month).plusDays(offsetDays);
        if (!candidate.isBefore(date)) {
          return Optional.of(candidate);
        }
        month = month.plusMonths(1);
      }
    }

    LocalDate in(YearMonth month) {
      LocalDate first = month.atDay(1);
      return ordinal == LAST
          ? first.with(TemporalAdjusters.lastInMonth(day))
          : first.with(TemporalAdjusters.dayOfWeekInMonth(ordinal, day));
    }
  }

  /**
   * A day of each month (1..31), or the last day ({@link #LAST}); months without it are skipped.
   */
  record MonthlyDay(int dayOfMonth) implements DateSequence {
    public static final int LAST = -1;

    public MonthlyDay {
      if (dayOfMonth != LAST && (dayOfMonth < 1 || dayOfMonth > 31)) {
        throw new IllegalArgumentException("dayOfMonth must be 1..31 or LAST: " + dayOfMonth);
      }
    }

    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate date) {
      YearMonth month = YearMonth.from(date);
      while (true) {
        int day = dayOfMonth == LAST ? month.lengthOfMonth() : dayOfMonth;
        if (day <= month.lengthOfMonth()) {
          LocalDate candidate = month.atDay(day);
          if (!candidate.isBefore(date)) {
            return Optional.of(candidate);
          }
        }
        month = month.plusMonths(1);
      }
    }
  }

  /** A single date. */
  record Once(LocalDate date) implements DateSequence {
    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate from) {
      return from.isAfter(date) ? Optional.empty() : Optional.of(date);
    }
  }
}
