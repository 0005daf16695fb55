package io.patchwarden.operator.window;

import static io.patchwarden.operator.window.Windows.local;
import static io.patchwarden.operator.window.Windows.timeline;
import static io.patchwarden.operator.window.Windows.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The daylight-saving rule: a start in the spring-forward gap moves to the end of the gap, a start
 * in the fall-back overlap means its first occurrence, and durations are real time. Europe/Berlin
 * 2026 springs forward on 2026-03-29 (02:00 → 03:00) and falls back on 2026-10-25 (03:00 → 02:00);
 * America/New_York on 2026-03-08 and 2026-11-01 (02:00 → 01:00).
 */
class DstTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void aStartInTheSpringForwardGapStartsAtTheEndOfTheGap() {
    assertThat(WallClock.resolve(LocalDate.parse("2026-03-29"), LocalTime.of(2, 30), BERLIN))
        .isEqualTo(local("2026-03-29T03:00", "Europe/Berlin"))
        .isEqualTo(utc("2026-03-29T01:00"));
    // Not 03:30, which is what ZonedDateTime.of would make of it (shifting by the gap's length).
    assertThat(WallClock.resolve(LocalDate.parse("2026-03-29"), LocalTime.of(2, 0), BERLIN))
        .isEqualTo(utc("2026-03-29T01:00"));
  }

  @Test
  void aStartInTheFallBackOverlapMeansTheFirstOccurrence() {
    assertThat(WallClock.resolve(LocalDate.parse("2026-10-25"), LocalTime.of(2, 30), BERLIN))
        .as("02:30 CEST, not 02:30 CET an hour later")
        .isEqualTo(utc("2026-10-25T00:30"));
  }

  @Test
  void timesOutsideTheChangeAreOrdinaryWallClockTimes() {
    assertThat(WallClock.resolve(LocalDate.parse("2026-03-29"), LocalTime.of(1, 59), BERLIN))
        .isEqualTo(utc("2026-03-29T00:59"));
    assertThat(WallClock.resolve(LocalDate.parse("2026-03-29"), LocalTime.of(3, 0), BERLIN))
        .isEqualTo(utc("2026-03-29T01:00"));
    assertThat(WallClock.resolve(LocalDate.parse("2026-10-25"), LocalTime.of(3, 0), BERLIN))
        .isEqualTo(utc("2026-10-25T02:00"));
  }

  @ParameterizedTest(name = "{0} {1} in {2} starts at {3}")
  @CsvSource({
    "2026-03-08, 02:30, America/New_York, 2026-03-08T07:00:00Z",
    "2026-03-08, 02:59, America/New_York, 2026-03-08T07:00:00Z",
    "2026-11-01, 01:30, America/New_York, 2026-11-01T05:30:00Z",
    "2026-10-04, 02:15, Australia/Lord_Howe, 2026-10-03T15:30:00Z",
    "2026-04-05, 01:45, Australia/Lord_Howe, 2026-04-04T14:45:00Z",
    "2026-09-27, 03:00, Pacific/Chatham, 2026-09-26T14:00:00Z",
  })
  void otherZonesFollowTheSameRule(LocalDate date, LocalTime time, String zone, Instant start) {
    assertThat(WallClock.resolve(date, time, ZoneId.of(zone))).isEqualTo(start);
  }

  @Test
  void aWindowOnTheSpringForwardDayOpensAtThreeAndLastsItsDuration() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {weekly: {days: [Sunday]}}
            start: "02:30"
            duration: 1h
            """);

    assertThat(t.nextOccurrences(utc("2026-03-28T00:00"), 2))
        .containsExactly(
            new Interval(utc("2026-03-29T01:00"), utc("2026-03-29T02:00")),
            new Interval(utc("2026-04-05T00:30"), utc("2026-04-05T01:30")));
  }

  @Test
  void aWindowOnTheFallBackDayHappensOnce() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {weekly: {days: [Sunday]}}
            start: "02:30"
            duration: 30m
            """);

    assertThat(t.nextOccurrences(utc("2026-10-24T00:00"), 2))
        .containsExactly(
            new Interval(utc("2026-10-25T00:30"), utc("2026-10-25T01:00")),
            new Interval(utc("2026-11-01T01:30"), utc("2026-11-01T02:00")));
    assertThat(t.isOpen(utc("2026-10-25T01:45"))).as("02:45 CET, the second 02:45").isFalse();
  }

  @ParameterizedTest(name = "4h from 00:30 on {0}")
  @CsvSource({
    // spring: 00:30 CET + 4h = 05:30 CEST (the wall clock shows 5 hours)
    "2026-03-29, 2026-03-28T23:30:00Z, 2026-03-29T05:30",
    // autumn: 00:30 CEST + 4h = 03:30 CET (the wall clock shows 3 hours)
    "2026-10-25, 2026-10-24T22:30:00Z, 2026-10-25T03:30",
  })
  void aFourHourWindowAcrossTheChangeLastsFourRealHours(
      LocalDate day, Instant start, String localEnd) {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {once: "%s"}
            start: "00:30"
            duration: 4h
            """
                .formatted(day));

    Interval o = t.nextOccurrences(day.minusDays(1).atStartOfDay(BERLIN).toInstant(), 1).get(0);
    assertThat(o.start()).isEqualTo(start);
    assertThat(o.length()).isEqualTo(Duration.ofHours(4));
    assertThat(o.end().atZone(BERLIN).toLocalDateTime()).hasToString(localEnd);
  }

  @ParameterizedTest(name = "{0} around {1}")
  @CsvSource({
    "Europe/Berlin, 2026-03-29", "Europe/Berlin, 2026-10-25",
    "America/New_York, 2026-03-08", "America/New_York, 2026-11-01",
    "Australia/Lord_Howe, 2026-10-04", "Australia/Lord_Howe, 2026-04-05",
  })
  void dailyWindowsAroundTheChangeStayOnePerDay(String zoneName, LocalDate change) {
    ZoneId zone = ZoneId.of(zoneName);
    for (String start : List.of("01:30", "02:00", "02:30", "03:00", "23:30")) {
      Timeline t =
          timeline(
              """
              timeZone: %s
              recurrence:
                weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]}
              start: "%s"
              duration: 45m
              """
                  .formatted(zoneName, start));

      Instant from = change.minusDays(3).atStartOfDay(zone).toInstant();
      List<Interval> week = t.nextOccurrences(from, 7);

      assertThat(week)
          .as("daily at %s", start)
          .extracting(o -> LocalDate.ofInstant(o.start(), zone))
          .containsExactlyElementsOf(change.minusDays(3).datesUntil(change.plusDays(4)).toList());
      assertThat(week).allSatisfy(o -> assertThat(o.length()).isEqualTo(Duration.ofMinutes(45)));
    }
  }

  @Test
  void newYorkSpringForwardAndFallBack() {
    Timeline t =
        timeline(
            """
            timeZone: America/New_York
            recurrence: {weekly: {days: [Sunday]}}
            start: "02:30"
            duration: 2h
            """);

    assertThat(t.nextOccurrences(utc("2026-03-07T00:00"), 1))
        .containsExactly(new Interval(utc("2026-03-08T07:00"), utc("2026-03-08T09:00")));
    // 02:30 exists once on 2026-11-01 (after the 02:00 EDT → 01:00 EST change): 02:30 EST.
    assertThat(t.nextOccurrences(utc("2026-10-31T00:00"), 1))
        .containsExactly(new Interval(utc("2026-11-01T07:30"), utc("2026-11-01T09:30")));
    assertThat(
            WallClock.resolve(LocalDate.parse("2026-11-01"), LocalTime.of(1, 30), NEW_YORK)
                .atZone(NEW_YORK)
                .getOffset()
                .getTotalSeconds())
        .as("the first 01:30 is daylight time")
        .isEqualTo(-4 * 3600);
  }

  @Test
  void aDailyCronInTheGapIsMovedForwardNotLost() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {cron: "30 2 * * *"}
            duration: 1h
            """);

    assertThat(t.nextOccurrences(utc("2026-03-27T12:00"), 3))
        .extracting(Interval::start)
        .containsExactly(
            utc("2026-03-28T01:30"), // 02:30 CET
            utc("2026-03-29T01:00"), // 03:00 CEST: 02:30 does not exist
            utc("2026-03-30T00:30")); // 02:30 CEST
  }

  @Test
  void aDailyCronInTheOverlapHappensOnce() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {cron: "30 2 * * *"}
            duration: 30m
            """);

    assertThat(t.nextOccurrences(utc("2026-10-24T12:00"), 2))
        .extracting(Interval::start)
        .containsExactly(utc("2026-10-25T00:30"), utc("2026-10-26T01:30"));
  }

  @Test
  void aHalfHourlyCronKeepsRealTimeStepsAcrossTheGap() {
    Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {cron: "*/30 * * * *"}
            duration: 15m
            """);

    // 01:30 CET, then 02:00 and 02:30 do not exist: both mean 03:00 CEST, which is one start.
    assertThat(t.nextOccurrences(utc("2026-03-29T00:00"), 3))
        .extracting(Interval::start)
        .containsExactly(utc("2026-03-29T00:30"), utc("2026-03-29T01:00"), utc("2026-03-29T01:30"));
  }
}
