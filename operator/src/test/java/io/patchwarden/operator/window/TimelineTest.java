package io.patchwarden.operator.window;

import static io.patchwarden.operator.window.Windows.local;
import static io.patchwarden.operator.window.Windows.timeline;
import static io.patchwarden.operator.window.Windows.utc;
import static io.patchwarden.operator.window.Windows.utcInterval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Concrete cases for the occurrence queries. 2026-11-23 is a Monday. */
class TimelineTest {

  @Nested
  class AcrossMidnight {
    private final Timeline t =
        timeline(
            """
            recurrence: {weekly: {days: [Saturday]}}
            start: "22:00"
            duration: 6h
            """);

    @Test
    void isOpenEarlyOnSunday() {
      assertThat(t.isOpen(utc("2026-11-29T03:00"))).isTrue();
      assertThat(t.currentOccurrence(utc("2026-11-29T03:00")))
          .contains(utcInterval("2026-11-28T22:00", "2026-11-29T04:00"));
    }

    @Test
    void isOpenAtItsStartAndClosedAtItsEnd() {
      assertThat(t.isOpen(utc("2026-11-28T22:00"))).isTrue();
      assertThat(t.isOpen(utc("2026-11-28T22:00").minusNanos(1))).isFalse();
      assertThat(t.isOpen(utc("2026-11-29T04:00").minusNanos(1))).isTrue();
      assertThat(t.isOpen(utc("2026-11-29T04:00"))).isFalse();
      assertThat(t.isOpen(utc("2026-11-28T03:00"))).as("Saturday early is not Sunday").isFalse();
    }

    @Test
    void theSameAcrossMidnightInAZone() {
      Timeline berlin =
          timeline(
              """
              timeZone: Europe/Berlin
              recurrence: {weekly: {days: [Saturday]}}
              start: "22:00"
              duration: 6h
              """);
      assertThat(berlin.isOpen(local("2026-11-29T03:00", "Europe/Berlin"))).isTrue();
      assertThat(berlin.isOpen(utc("2026-11-29T03:00"))).as("04:00 in Berlin").isFalse();
    }
  }

  @Nested
  class Queries {
    // Monday and Wednesday 12:30-14:30 Berlin = 11:30-13:30 UTC in winter.
    private final Timeline t =
        timeline(
            """
            timeZone: Europe/Berlin
            recurrence: {weekly: {days: [Monday, Wednesday]}}
            start: "12:30"
            duration: 2h
            """);

    @Test
    void insideAnOccurrence() {
      Instant now = utc("2026-11-23T12:00");
      assertThat(t.isOpen(now)).isTrue();
      assertThat(t.currentOccurrence(now))
          .contains(utcInterval("2026-11-23T11:30", "2026-11-23T13:30"));
      assertThat(t.nextOccurrences(now, 2))
          .as("the current one does not start after now")
          .containsExactly(
              utcInterval("2026-11-25T11:30", "2026-11-25T13:30"),
              utcInterval("2026-11-30T11:30", "2026-11-30T13:30"));
      assertThat(t.nextChange(now)).contains(utc("2026-11-23T13:30"));
      assertThat(t.firstEndingAfter(now)).isEqualTo(t.currentOccurrence(now));
    }

    @Test
    void betweenOccurrences() {
      Instant now = utc("2026-11-24T08:00");
      assertThat(t.isOpen(now)).isFalse();
      assertThat(t.currentOccurrence(now)).isEmpty();
      assertThat(t.nextChange(now)).contains(utc("2026-11-25T11:30"));
      assertThat(t.firstEndingAfter(now))
          .contains(utcInterval("2026-11-25T11:30", "2026-11-25T13:30"));
      assertThat(t.neverOpensAfter(now)).isFalse();
    }

    @Test
    void exactlyAtAStart() {
      Instant start = utc("2026-11-25T11:30");
      assertThat(t.isOpen(start)).isTrue();
      assertThat(t.nextChange(start)).as("strictly after").contains(utc("2026-11-25T13:30"));
      assertThat(t.nextOccurrences(start, 1))
          .as("strictly after: not the one starting now")
          .containsExactly(utcInterval("2026-11-30T11:30", "2026-11-30T13:30"));
      assertThat(t.nextChange(start.minusNanos(1))).contains(start);
    }

    @Test
    void exactlyAtAnEnd() {
      Instant end = utc("2026-11-25T13:30");
      assertThat(t.isOpen(end)).isFalse();
      assertThat(t.currentOccurrence(end)).isEmpty();
      assertThat(t.nextChange(end)).contains(utc("2026-11-30T11:30"));
      assertThat(t.nextOccurrences(end, 1))
          .containsExactly(utcInterval("2026-11-30T11:30", "2026-11-30T13:30"));
    }

    @Test
    void aCountOfZeroIsEmpty() {
      assertThat(t.nextOccurrences(utc("2026-11-24T08:00"), 0)).isEmpty();
    }
  }

  @Nested
  class Exclusions {
    @Test
    void aTimestampExclusionInsideAnOccurrenceLeavesTwoParts() {
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Tuesday]}}
              start: "20:00"
              duration: 4h
              exclusions:
                - {name: deploy, from: "2026-11-24T21:00:00Z", to: "2026-11-24T22:30:00Z"}
              """);

      assertThat(t.nextOccurrences(utc("2026-11-24T00:00"), 3))
          .containsExactly(
              utcInterval("2026-11-24T20:00", "2026-11-24T21:00"),
              utcInterval("2026-11-24T22:30", "2026-11-25T00:00"),
              utcInterval("2026-12-01T20:00", "2026-12-02T00:00"));
      assertThat(t.isOpen(utc("2026-11-24T21:00"))).isFalse();
      assertThat(t.isOpen(utc("2026-11-24T22:30"))).isTrue();
      assertThat(t.nextChange(utc("2026-11-24T20:30"))).contains(utc("2026-11-24T21:00"));
      assertThat(t.nextChange(utc("2026-11-24T21:00"))).contains(utc("2026-11-24T22:30"));
    }

    @Test
    void anExclusionOverlappingTheStartShortensTheOccurrence() {
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Tuesday]}}
              start: "20:00"
              duration: 4h
              exclusions:
                - {name: late-release, from: "2026-11-24T18:00:00Z", to: "2026-11-24T21:15:00Z"}
              """);

      assertThat(t.nextOccurrences(utc("2026-11-24T00:00"), 1))
          .containsExactly(utcInterval("2026-11-24T21:15", "2026-11-25T00:00"));
      assertThat(t.isOpen(utc("2026-11-24T20:30"))).isFalse();
      assertThat(t.nextChange(utc("2026-11-24T20:30"))).contains(utc("2026-11-24T21:15"));
    }

    @Test
    void aDateExclusionClosesTheWholeDayInTheWindowsZone() {
      // Every evening 22:00-02:00 Berlin; 2026-12-24 is closed from 00:00 to 24:00 Berlin time.
      Timeline t =
          timeline(
              """
              timeZone: Europe/Berlin
              recurrence:
                weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]}
              start: "22:00"
              duration: 4h
              exclusions:
                - {name: christmas-eve, from: "2026-12-24", to: "2026-12-24"}
              """);

      assertThat(t.nextOccurrences(local("2026-12-23T12:00", "Europe/Berlin"), 3))
          .containsExactly(
              Windows.interval(
                  local("2026-12-23T22:00", "Europe/Berlin"),
                  local("2026-12-24T00:00", "Europe/Berlin")),
              Windows.interval(
                  local("2026-12-25T00:00", "Europe/Berlin"),
                  local("2026-12-25T02:00", "Europe/Berlin")),
              Windows.interval(
                  local("2026-12-25T22:00", "Europe/Berlin"),
                  local("2026-12-26T02:00", "Europe/Berlin")));
      assertThat(t.isOpen(utc("2026-12-23T23:30"))).as("00:30 Berlin on the 24th").isFalse();
      assertThat(t.isOpen(utc("2026-12-24T23:30"))).as("00:30 Berlin on the 25th").isTrue();
    }

    @Test
    void anOccurrenceEntirelyInsideAnExclusionDoesNotHappen() {
      Timeline t =
          timeline(
              """
              timeZone: Europe/Berlin
              recurrence: {weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday]}}
              start: "18:30"
              duration: 3h
              exclusions:
                - {name: year-end-freeze, from: "2026-12-21", to: "2027-01-04"}
              """);

      assertThat(t.nextOccurrences(local("2026-12-18T22:00", "Europe/Berlin"), 1))
          .extracting(Interval::start)
          .containsExactly(local("2027-01-05T18:30", "Europe/Berlin"));
      assertThat(t.nextChange(local("2026-12-21T12:00", "Europe/Berlin")))
          .contains(local("2027-01-05T18:30", "Europe/Berlin"));
    }

    @Test
    void anOccurrenceReachingPastAFreezeOpensWhenItEndsAlsoAskedFromInside() {
      Timeline t =
          timeline(
              """
              recurrence:
                weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]}
              start: "22:00"
              duration: 4h
              exclusions:
                - {name: freeze, from: "2026-11-23T20:00:00Z", to: "2026-11-25T23:00:00Z"}
              """);

      Instant inside = utc("2026-11-23T21:00");
      assertThat(t.nextChange(inside)).contains(utc("2026-11-25T23:00"));
      assertThat(t.nextOccurrences(inside, 1))
          .containsExactly(utcInterval("2026-11-25T23:00", "2026-11-26T02:00"));
    }

    @Test
    void overlappingExclusionsActAsOne() {
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Tuesday]}}
              start: "20:00"
              duration: 4h
              exclusions:
                - {name: a, from: "2026-11-24T20:30:00Z", to: "2026-11-24T21:30:00Z"}
                - {name: b, from: "2026-11-24T21:00:00Z", to: "2026-11-24T22:00:00Z"}
                - {name: c, from: "2026-11-24T22:00:00Z", to: "2026-11-24T22:15:00Z"}
              """);

      assertThat(t.nextOccurrences(utc("2026-11-24T00:00"), 2))
          .containsExactly(
              utcInterval("2026-11-24T20:00", "2026-11-24T20:30"),
              utcInterval("2026-11-24T22:15", "2026-11-25T00:00"));
    }
  }

  @Nested
  class ActiveRange {
    private final Timeline t =
        timeline(
            """
            recurrence: {weekly: {days: [Monday]}}
            start: "10:00"
            duration: 2h
            activeFrom: "2026-03-02T11:00:00Z"
            activeUntil: "2026-03-16"
            """);

    @Test
    void clipsToTheRangeAndADateUntilIsInclusive() {
      assertThat(t.nextOccurrences(utc("2026-02-01T00:00"), 5))
          .containsExactly(
              utcInterval("2026-03-02T11:00", "2026-03-02T12:00"),
              utcInterval("2026-03-09T10:00", "2026-03-09T12:00"),
              utcInterval("2026-03-16T10:00", "2026-03-16T12:00"));
      assertThat(t.isOpen(utc("2026-03-02T10:30"))).isFalse();
      assertThat(t.isOpen(utc("2026-02-23T10:30"))).isFalse();
      assertThat(t.nextChange(utc("2026-02-23T10:30"))).contains(utc("2026-03-02T11:00"));
    }

    @Test
    void afterTheRangeItNeverOpens() {
      assertThat(t.neverOpensAfter(utc("2026-03-16T11:00"))).isFalse();
      assertThat(t.neverOpensAfter(utc("2026-03-16T12:00"))).isTrue();
      assertThat(t.nextChange(utc("2026-03-16T12:00"))).isEmpty();
      assertThat(t.nextOccurrences(utc("2026-03-10T00:00"), 5)).hasSize(1);
    }

    @Test
    void aTimestampUntilCutsAnOccurrenceShort() {
      Timeline cut =
          timeline(
              """
              recurrence: {weekly: {days: [Monday]}}
              start: "10:00"
              duration: 2h
              activeUntil: "2026-03-09T10:45:00Z"
              """);
      assertThat(cut.nextOccurrences(utc("2026-03-03T00:00"), 5))
          .containsExactly(utcInterval("2026-03-09T10:00", "2026-03-09T10:45"));
    }
  }

  @Nested
  class Cron {
    private final Timeline t =
        timeline(
            """
            timeZone: Europe/Vienna
            recurrence: {cron: "0 20 * * 1-5"}
            duration: 2h
            """);

    @Test
    void weekdayEveningsInVienna() {
      // Friday 2026-03-27, then Monday 2026-03-30 after Vienna moved to summer time.
      assertThat(t.nextOccurrences(utc("2026-03-27T12:00"), 3))
          .containsExactly(
              utcInterval("2026-03-27T19:00", "2026-03-27T21:00"),
              utcInterval("2026-03-30T18:00", "2026-03-30T20:00"),
              utcInterval("2026-03-31T18:00", "2026-03-31T20:00"));
      assertThat(t.isOpen(utc("2026-03-28T19:30"))).as("Saturday").isFalse();
      assertThat(t.isOpen(utc("2026-03-30T19:59"))).isTrue();
      assertThat(t.nextChange(utc("2026-03-27T21:00"))).contains(utc("2026-03-30T18:00"));
    }

    @Test
    void aStartIsAtOrAfterEvenWithinTheSameSecond() {
      CronRule rule = CronRule.parse("0 10 * * *");
      Instant horizon = utc("2027-01-01T00:00");
      assertThat(rule.firstStartAtOrAfter(utc("2026-03-01T10:00"), ZoneOffset.UTC, horizon))
          .contains(utc("2026-03-01T10:00"));
      assertThat(
              rule.firstStartAtOrAfter(
                  utc("2026-03-01T10:00").plusMillis(500), ZoneOffset.UTC, horizon))
          .contains(utc("2026-03-02T10:00"));
      assertThat(
              rule.firstStartAtOrAfter(
                  utc("2026-03-01T10:00").minusNanos(1), ZoneOffset.UTC, horizon))
          .contains(utc("2026-03-01T10:00"));
    }
  }

  @Nested
  class Once {
    private final Timeline t =
        timeline(
            """
            timeZone: Europe/London
            recurrence: {once: "2027-01-16"}
            start: "08:00"
            duration: 10h
            """);

    @Test
    void opensOnceOnItsDate() {
      assertThat(t.nextOccurrences(utc("2026-11-23T00:00"), 3))
          .containsExactly(utcInterval("2027-01-16T08:00", "2027-01-16T18:00"));
      assertThat(t.neverOpensAfter(utc("2027-01-16T17:59"))).isFalse();
      assertThat(t.neverOpensAfter(utc("2027-01-16T18:00"))).isTrue();
      assertThat(t.nextChange(utc("2027-01-16T18:00"))).isEmpty();
    }
  }

  @Nested
  class NeverOpens {
    @Test
    void aOnceDateInThePast() {
      Timeline t =
          timeline(
              """
              recurrence: {once: "2026-01-10"}
              start: "20:00"
              duration: 4h
              """);
      assertThat(t.neverOpensAfter(utc("2026-11-23T12:00"))).isTrue();
      assertThat(t.neverOpensAfter(utc("2026-01-09T12:00"))).isFalse();
    }

    @Test
    void anExclusionCoveringEverythingUntilActiveUntil() {
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Tuesday]}}
              start: "20:00"
              duration: 4h
              activeUntil: "2027-03-31"
              exclusions:
                - {name: migration, from: "2026-11-01", to: "2027-04-30"}
              """);
      assertThat(t.neverOpensAfter(utc("2026-11-23T12:00"))).isTrue();
      assertThat(t.neverOpensAfter(utc("2026-10-27T12:00"))).isFalse();
    }

    @Test
    void anExclusionEndingJustBeforeActiveUntilLeavesTheLastPart() {
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Tuesday]}}
              start: "20:00"
              duration: 4h
              activeUntil: "2027-03-31"
              exclusions:
                - {name: migration, from: "2026-11-01", to: "2027-03-30T23:00:00Z"}
              """);
      // Tuesday 2027-03-30 20:00-24:00: open from 23:00 (until the end of the 31st).
      assertThat(t.nextOccurrences(utc("2026-11-23T12:00"), 2))
          .containsExactly(utcInterval("2027-03-30T23:00", "2027-03-31T00:00"));
    }

    @Test
    void aCronDateThatNeverExistsDoesNotHang() {
      for (String cron : new String[] {"0 0 30 2 *", "0 3 31 4 *", "0 0 31 11 *"}) {
        Timeline t =
            timeline(
                """
                recurrence: {cron: "%s"}
                duration: 1h
                """
                    .formatted(cron));
        Instant now = utc("2026-11-23T12:00");
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> {
              assertThat(t.neverOpensAfter(now)).as(cron).isTrue();
              assertThat(t.nextChange(now)).isEmpty();
              assertThat(t.nextOccurrences(now, 3)).isEmpty();
              assertThat(t.isOpen(now)).isFalse();
            });
      }
    }

    @Test
    void aRareButRealCronDateOpens() {
      Timeline t =
          timeline(
              """
              recurrence: {cron: "0 0 29 2 *"}
              duration: 1h
              """);
      assertThat(t.nextOccurrences(utc("2026-11-23T12:00"), 2))
          .containsExactly(
              utcInterval("2028-02-29T00:00", "2028-02-29T01:00"),
              utcInterval("2032-02-29T00:00", "2032-02-29T01:00"));
    }
  }

  @Nested
  class Merging {
    @Test
    void overlappingDaysFormOneOccurrence() {
      // Monday 00:00 + 2d and Tuesday 00:00 + 2d: one occurrence Monday to Thursday.
      Timeline t =
          timeline(
              """
              recurrence: {weekly: {days: [Monday, Tuesday]}}
              start: "00:00"
              duration: 2d
              """);
      Instant monday = utc("2026-11-23T12:00");
      assertThat(t.currentOccurrence(monday))
          .contains(utcInterval("2026-11-23T00:00", "2026-11-26T00:00"));
      assertThat(t.currentOccurrence(utc("2026-11-25T12:00")))
          .as("the same occurrence from inside its second raw occurrence")
          .contains(utcInterval("2026-11-23T00:00", "2026-11-26T00:00"));
      assertThat(t.nextChange(monday)).contains(utc("2026-11-26T00:00"));
      assertThat(t.nextOccurrences(utc("2026-11-22T00:00"), 2))
          .containsExactly(
              utcInterval("2026-11-23T00:00", "2026-11-26T00:00"),
              utcInterval("2026-11-30T00:00", "2026-12-03T00:00"));
    }

    @Test
    void touchingOccurrencesMerge() {
      Timeline t =
          timeline(
              """
              recurrence: {cron: "0 * * * 1-5"}
              duration: 1h
              """);
      Instant wednesday = utc("2026-11-25T12:34");
      assertThat(t.currentOccurrence(wednesday))
          .contains(utcInterval("2026-11-23T00:00", "2026-11-28T00:00"));
      assertThat(t.nextChange(wednesday)).contains(utc("2026-11-28T00:00"));
      assertThat(t.nextChange(utc("2026-11-28T00:00"))).contains(utc("2026-11-30T00:00"));
      assertThat(t.nextOccurrences(wednesday, 1))
          .containsExactly(utcInterval("2026-11-30T00:00", "2026-12-05T00:00"));
    }

    @Test
    void anHourlyCronLastingTwoHoursIsContinuouslyOpen() {
      Timeline t =
          timeline(
              """
              timeZone: Europe/Berlin
              recurrence: {cron: "0 * * * *"}
              duration: 2h
              """);
      Instant now = utc("2026-11-23T12:34");

      for (int h = 0; h < 24 * 14; h += 29) {
        assertThat(t.isOpen(now.plus(Duration.ofHours(h)).plusSeconds(h))).isTrue();
      }
      assertThat(t.currentOccurrence(now).orElseThrow().length())
          .isGreaterThan(Duration.ofDays(30));
      assertThat(t.nextChange(now).orElseThrow())
          .as("no close an hour or two later")
          .isAfter(now.plus(Duration.ofDays(30)));
      assertThat(t.nextOccurrences(now, 3)).as("nothing starts while it stays open").isEmpty();
      assertThat(t.neverOpensAfter(now)).isFalse();
    }

    @Test
    void aContinuousOccurrenceIsStillCutByAnExclusion() {
      Timeline t =
          timeline(
              """
              recurrence: {cron: "0 * * * *"}
              duration: 2h
              exclusions:
                - {name: freeze, from: "2026-11-25T10:00:00Z", to: "2026-11-25T14:30:00Z"}
              """);
      Instant now = utc("2026-11-25T08:00");

      assertThat(t.nextChange(now)).contains(utc("2026-11-25T10:00"));
      assertThat(t.isOpen(utc("2026-11-25T12:00"))).isFalse();
      assertThat(t.nextChange(utc("2026-11-25T12:00"))).contains(utc("2026-11-25T14:30"));
      assertThat(t.isOpen(utc("2026-11-25T14:30"))).isTrue();
      Optional<Interval> after = t.nextOccurrences(now, 1).stream().findFirst();
      assertThat(after).map(Interval::start).contains(utc("2026-11-25T14:30"));
    }

    @Test
    void aCronWithAYearLongExclusionSkipsItInOneStep() {
      Timeline t =
          timeline(
              """
              recurrence: {cron: "*/15 * * * *"}
              duration: 15m
              exclusions:
                - {name: year, from: "2027-01-01", to: "2027-12-31"}
              """);
      Instant now = utc("2027-02-01T00:00");
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> assertThat(t.nextChange(now)).contains(utc("2028-01-01T00:00")));
    }
  }
}
