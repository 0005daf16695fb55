package io.patchwarden.operator.window;

import static io.patchwarden.operator.window.Windows.timeline;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Monthly recurrences, checked against dates computed here by counting days (not with the
 * TemporalAdjusters the schedule uses).
 */
class PatchTuesdayTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void theThursdayAfterPatchTuesdayInEveryMonthOf2026And2027() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {monthly: {week: Second, day: Tuesday, offsetDays: 2}}
            start: "21:00"
            duration: 4h
            """);

    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2026, 1); m.getYear() < 2028; m = m.plusMonths(1)) {
      expected.add(secondTuesday(m).plusDays(2));
    }

    assertThat(localStarts(t, "2025-12-31T00:00", 24, BERLIN))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(21, 0)));
    assertThat(expected).allMatch(d -> d.getDayOfWeek() == DayOfWeek.THURSDAY);
  }

  /** The second Tuesday is the Tuesday among days 8..14. */
  private static LocalDate secondTuesday(YearMonth month) {
    for (int day = 8; day <= 14; day++) {
      if (month.atDay(day).getDayOfWeek() == DayOfWeek.TUESDAY) {
        return month.atDay(day);
      }
    }
    throw new AssertionError("no Tuesday in 8..14 of " + month);
  }

  @Test
  void theLastFridayOfEveryMonthOvernightInNewYork() {
    ZoneId newYork = ZoneId.of("America/New_York");
    Timeline t =
        timeline(
            """
            timeZone: America/New_York
            recurrence: {monthly: {week: Last, day: Friday}}
            start: "23:00"
            duration: 6h
            """);

    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2026, 1); m.getYear() < 2028; m = m.plusMonths(1)) {
      expected.add(lastWeekday(m, DayOfWeek.FRIDAY));
    }

    assertThat(localStarts(t, "2025-12-31T00:00", 24, newYork))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(23, 0)));
  }

  @Test
  void anOffsetCanCrossIntoTheNextMonth() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {monthly: {week: Last, day: Tuesday, offsetDays: 3}}
            start: "20:00"
            duration: 2h
            """);

    // December 2025's last Tuesday is the 30th: its Friday is 2 January 2026.
    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2025, 12); expected.size() < 24; m = m.plusMonths(1)) {
      expected.add(lastWeekday(m, DayOfWeek.TUESDAY).plusDays(3));
    }

    assertThat(localStarts(t, "2025-12-31T00:00", 24, BERLIN))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(20, 0)));
    // e.g. the last Tuesday of March 2026 is the 31st: its Friday is 3 April.
    assertThat(expected).contains(LocalDate.parse("2026-01-02"), LocalDate.parse("2026-04-03"));
  }

  @Test
  void aNegativeOffsetCanGoBackIntoThePreviousMonth() {
    Timeline t =
        timeline(
            """
            timeZone: UTC
            recurrence: {monthly: {week: First, day: Monday, offsetDays: -3}}
            start: "18:00"
            duration: 1h
            """);

    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2026, 2); m.getYear() < 2028; m = m.plusMonths(1)) {
      expected.add(firstWeekday(m, DayOfWeek.MONDAY).minusDays(3));
    }

    assertThat(localStarts(t, "2026-01-10T00:00", expected.size(), ZoneId.of("UTC")))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(18, 0)));
    // The first Monday of June 2026 is the 1st: the Friday before is 29 May.
    assertThat(expected).contains(LocalDate.parse("2026-05-29"));
  }

  @Test
  void aLargeOffsetStillGivesOneOccurrencePerMonthInOrder() {
    Timeline t =
        timeline(
            """
            timeZone: UTC
            recurrence: {monthly: {week: Fourth, day: Sunday, offsetDays: 30}}
            start: "06:00"
            duration: 1h
            """);

    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2026, 1); m.getYear() < 2027; m = m.plusMonths(1)) {
      expected.add(firstWeekday(m, DayOfWeek.SUNDAY).plusDays(21 + 30));
    }

    assertThat(localStarts(t, "2026-02-01T00:00", 12, ZoneId.of("UTC")))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(6, 0)));
  }

  @Test
  void dayOfMonth31SkipsShortMonths() {
    Timeline t =
        timeline(
            """
            recurrence: {monthly: {dayOfMonth: 31}}
            start: "22:00"
            duration: 3h
            """);

    assertThat(localStarts(t, "2026-01-01T00:00", 7, ZoneId.of("UTC")))
        .extracting(LocalDateTime::toLocalDate)
        .containsExactly(
            LocalDate.parse("2026-01-31"),
            LocalDate.parse("2026-03-31"),
            LocalDate.parse("2026-05-31"),
            LocalDate.parse("2026-07-31"),
            LocalDate.parse("2026-08-31"),
            LocalDate.parse("2026-10-31"),
            LocalDate.parse("2026-12-31"));
  }

  @Test
  void dayOfMonth29IsInFebruaryOnlyInLeapYears() {
    Timeline t =
        timeline(
            """
            recurrence: {monthly: {dayOfMonth: 29}}
            start: "12:00"
            duration: 1h
            """);

    assertThat(localStarts(t, "2027-01-01T00:00", 13, ZoneId.of("UTC")))
        .extracting(LocalDateTime::toLocalDate)
        .filteredOn(d -> d.getMonthValue() == 2)
        .containsExactly(LocalDate.parse("2028-02-29"));
  }

  @Test
  void dayOfMonthMinusOneIsTheLastDayIncludingLeapFebruary() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {monthly: {dayOfMonth: -1}}
            start: "23:00"
            duration: 2h
            """);

    List<LocalDate> expected = new ArrayList<>();
    for (YearMonth m = YearMonth.of(2027, 12); m.isBefore(YearMonth.of(2029, 4)); ) {
      m = m.plusMonths(1);
      LocalDate last = m.atDay(28);
      while (last.plusDays(1).getMonth() == last.getMonth()) {
        last = last.plusDays(1);
      }
      expected.add(last);
    }

    assertThat(localStarts(t, "2027-12-31T23:30", expected.size(), BERLIN))
        .containsExactlyElementsOf(atTime(expected, LocalTime.of(23, 0)));
    assertThat(expected).contains(LocalDate.parse("2028-02-29"), LocalDate.parse("2029-02-28"));
  }

  @Test
  void aMonthlyWindowLastsItsDuration() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {monthly: {week: Second, day: Tuesday, offsetDays: 2}}
            start: "21:00"
            duration: 4h
            """);

    assertThat(
            t.nextOccurrences(LocalDate.parse("2026-01-01").atStartOfDay(BERLIN).toInstant(), 24))
        .allSatisfy(o -> assertThat(o.length()).isEqualTo(Duration.ofHours(4)));
  }

  private static LocalDate lastWeekday(YearMonth month, DayOfWeek day) {
    LocalDate d = month.atEndOfMonth();
    while (d.getDayOfWeek() != day) {
      d = d.minusDays(1);
    }
    return d;
  }

  private static LocalDate firstWeekday(YearMonth month, DayOfWeek day) {
    LocalDate d = month.atDay(1);
    while (d.getDayOfWeek() != day) {
      d = d.plusDays(1);
    }
    return d;
  }

  private static List<LocalDateTime> localStarts(Timeline t, String fromLocal, int n, ZoneId zone) {
    return t.nextOccurrences(LocalDateTime.parse(fromLocal).atZone(zone).toInstant(), n).stream()
        .map(o -> LocalDateTime.ofInstant(o.start(), zone))
        .toList();
  }

  private static List<LocalDateTime> atTime(List<LocalDate> dates, LocalTime time) {
    return dates.stream().map(d -> d.atTime(time)).toList();
  }
}
