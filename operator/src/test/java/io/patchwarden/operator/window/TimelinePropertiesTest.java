package io.patchwarden.operator.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.operator.support.DateOrTimestamp;
import io.patchwarden.operator.support.Durations;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of the occurrence queries over random valid schedules (every recurrence kind, 15m..7d,
 * zones with unusual daylight-saving rules, optional exclusions and active ranges) and random
 * instants in 2025..2030. Exclusions, active ranges and most once dates are generated near the
 * instant, where they matter.
 *
 * <p>The reference is {@link #openByDefinition}: open at t when some raw occurrence [s, s +
 * duration) contains t, t is in the active range and in no exclusion. It does not merge, cut or
 * search; the {@link StartRule} only lists the raw starts near t.
 *
 * <p>What is asserted about occurrence lengths: cuts (exclusions, active range) only shorten, and
 * merging only lengthens. So when consecutive raw starts are always more than {@code duration}
 * apart (no merging possible), every occurrence is at most {@code duration} long, and exactly
 * {@code duration} when there are no exclusions or active range. With merging an occurrence can be
 * longer; it is then still checked against the reference at its boundaries.
 *
 * <p>An occurrence that stays open beyond {@link Timeline#MAX_MERGES} raw occurrences ({@link
 * Timeline.Part#endUnknown()}) ends at a time to look again, not at a close; the checks that need a
 * real close skip it.
 */
class TimelinePropertiesTest {
  private static final List<String> ZONES =
      List.of(
          "Europe/Berlin",
          "America/New_York",
          "Australia/Lord_Howe",
          "Pacific/Chatham",
          "Asia/Kolkata",
          "UTC");
  private static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("2030-12-31T00:00:00Z");

  /** A cron expression with a lower bound on the real time between consecutive starts. */
  private record Cron(String expression, Duration minGap) {}

  private static final List<Cron> CRONS =
      List.of(
          new Cron("0 20 * * 1-5", Duration.ofHours(22)),
          new Cron("30 2 * * *", Duration.ofHours(22)),
          new Cron("0 */6 * * *", Duration.ofHours(4)),
          new Cron("15 3 1 * *", Duration.ofDays(27)),
          new Cron("0 0 * * 0", Duration.ofDays(6)),
          // Pacific/Chatham skips 02:45..03:45: 03:00 starts at 03:45, 15 minutes before 04:00.
          new Cron("0 * * * *", Duration.ofMinutes(15)),
          new Cron("*/30 9-17 * * 1-5", Duration.ofMinutes(29)),
          new Cron("45 1 * * 6,0", Duration.ofHours(22)),
          new Cron("0 12 29 2 *", Duration.ofDays(365)));

  /** A generated schedule, with what the test knows about its starts. */
  record Case(WindowSchedule schedule, ZoneId zone, Duration minGap, String description) {
    Timeline timeline() {
      return schedule.in(zone);
    }

    /** Where exclusions and the active range begin and end. */
    List<Instant> boundaries() {
      List<Instant> result = new ArrayList<>();
      for (WindowSchedule.Exclusion x : schedule.exclusions()) {
        result.add(x.from().start(zone));
        result.add(x.to().endExclusive(zone));
      }
      if (schedule.activeFrom() != null) {
        result.add(schedule.activeFrom().start(zone));
      }
      if (schedule.activeUntil() != null) {
        result.add(schedule.activeUntil().endExclusive(zone));
      }
      return result;
    }

    boolean cutsOrClips() {
      return !schedule.exclusions().isEmpty()
          || schedule.activeFrom() != null
          || schedule.activeUntil() != null;
    }

    @Override
    public String toString() {
      return description + " in " + zone;
    }
  }

  /** A schedule and an instant; exclusions, the active range and a once date are near it. */
  record Scenario(Case c, Instant t) {
    @Override
    public String toString() {
      return c + " at " + t;
    }
  }

  @Property(tries = 300)
  void isOpenMatchesTheDefinitionAndTheCurrentOccurrence(@ForAll("scenarios") Scenario s) {
    Case c = s.c();
    Instant t = s.t();
    Timeline timeline = c.timeline();
    Optional<Interval> current = timeline.currentOccurrence(t);

    assertThat(timeline.isOpen(t)).isEqualTo(current.isPresent());
    assertThat(timeline.isOpen(t)).as("open by definition").isEqualTo(openByDefinition(c, t));
    current.ifPresent(o -> assertThat(o.contains(t)).as("%s contains %s", o, t).isTrue());
    for (Instant b : c.boundaries()) {
      for (Instant at : List.of(b.minusNanos(1), b)) {
        assertThat(timeline.isOpen(at)).as("open at %s", at).isEqualTo(openByDefinition(c, at));
      }
    }
  }

  @Property(tries = 300)
  void nextOccurrencesAreOrderedSeparateAndTrue(@ForAll("scenarios") Scenario s) {
    Case c = s.c();
    Instant t = s.t();
    Timeline timeline = c.timeline();
    List<Timeline.Part> parts = partsAfter(timeline, t, 5);
    List<Interval> next = timeline.nextOccurrences(t, 5);

    assertThat(next).isEqualTo(parts.stream().map(Timeline.Part::interval).toList());
    Instant previousEnd = t;
    for (Timeline.Part part : parts) {
      Interval o = part.interval();
      assertThat(o.start()).as("starts after %s", previousEnd).isAfter(previousEnd);
      assertThat(openByDefinition(c, o.start())).as("open at the start of " + o).isTrue();
      assertThat(openByDefinition(c, o.start().minusNanos(1))).as("closed before " + o).isFalse();
      assertThat(openByDefinition(c, o.end().minusNanos(1))).as("open until " + o).isTrue();
      if (!part.endUnknown()) {
        assertThat(openByDefinition(c, o.end())).as("closed at the end of " + o).isFalse();
      }
      if (c.minGap().compareTo(c.schedule().duration()) > 0) {
        assertThat(o.length()).isLessThanOrEqualTo(c.schedule().duration());
        if (!c.cutsOrClips()) {
          assertThat(o.length()).isEqualTo(c.schedule().duration());
        }
      }
      previousEnd = o.end();
    }
  }

  @Property(tries = 300)
  void noOccurrenceIsMissed(@ForAll("scenarios") Scenario s) {
    Case c = s.c();
    assertNothingMissedAfter(c, s.t());
    // Asked from inside a freeze, the search skips ahead: check that it does not skip too far.
    for (WindowSchedule.Exclusion x : c.schedule().exclusions()) {
      assertNothingMissedAfter(c, x.from().start(c.zone()).plus(Duration.ofMinutes(1)));
    }
  }

  /**
   * Between t and the end of the third next occurrence, open by definition exactly where the
   * current or a next occurrence is. Open by definition somewhere means open at a raw start or
   * where a cut ends, so those are the instants checked.
   */
  private static void assertNothingMissedAfter(Case c, Instant t) {
    Timeline timeline = c.timeline();
    List<Interval> found = new ArrayList<>();
    timeline.currentOccurrence(t).ifPresent(found::add);
    partsAfter(timeline, t, 3).forEach(p -> found.add(p.interval()));
    Instant until = t.plus(Duration.ofDays(60));
    if (!found.isEmpty() && found.get(found.size() - 1).end().isBefore(until)) {
      until = found.get(found.size() - 1).end();
    }

    List<Instant> candidates = new ArrayList<>(c.boundaries());
    Instant start = t;
    for (int i = 0; i < 500; i++) {
      Optional<Instant> next = c.schedule().starts().firstStartAtOrAfter(start, c.zone(), until);
      if (next.isEmpty()) {
        break;
      }
      candidates.add(next.get());
      start = next.get().plusNanos(1);
    }
    for (Instant p : candidates) {
      if (p.isAfter(t) && p.isBefore(until)) {
        boolean listed = found.stream().anyMatch(o -> o.contains(p));
        assertThat(openByDefinition(c, p))
            .as("open at %s (from %s: %s)", p, t, found)
            .isEqualTo(listed);
      }
    }
  }

  @Property(tries = 300)
  void isOpenFlipsAtTheNextChangeAndNowhereBefore(@ForAll("scenarios") Scenario s) {
    Case c = s.c();
    Instant t = s.t();
    Timeline timeline = c.timeline();
    Optional<Instant> change = timeline.nextChange(t);
    Optional<Timeline.Part> part = timeline.firstPartEndingAfter(t);

    assertThat(change.isPresent()).isEqualTo(part.isPresent());
    assertThat(timeline.neverOpensAfter(t)).isEqualTo(change.isEmpty());
    if (change.isEmpty()) {
      assertThat(timeline.isOpen(t)).isFalse();
      assertThat(timeline.nextOccurrences(t, 1)).isEmpty();
      return;
    }
    Instant next = change.get();
    boolean open = timeline.isOpen(t);
    assertThat(next).isAfter(t);
    Instant middle = t.plus(Duration.between(t, next).dividedBy(2));
    assertThat(timeline.isOpen(middle)).as("at %s", middle).isEqualTo(open);
    assertThat(timeline.isOpen(next.minusNanos(1))).as("just before %s", next).isEqualTo(open);
    boolean lookAgain = open && part.get().endUnknown();
    if (!lookAgain) {
      assertThat(timeline.isOpen(next)).as("at %s", next).isNotEqualTo(open);
    }
  }

  @Property(tries = 200)
  void walkingTheChangesVisitsTheBoundariesOfTheOccurrences(@ForAll("scenarios") Scenario s) {
    Case c = s.c();
    Instant t = s.t();
    Timeline timeline = c.timeline();
    List<Instant> expected = new ArrayList<>();
    Optional<Timeline.Part> current =
        timeline.firstPartEndingAfter(t).filter(p -> p.interval().contains(t));
    boolean known = current.map(p -> !p.endUnknown()).orElse(true);
    current.ifPresent(p -> expected.add(p.interval().end()));
    List<Timeline.Part> after = known ? partsAfter(timeline, t, 4) : List.of();
    for (Timeline.Part part : after) {
      expected.add(part.interval().start());
      known = !part.endUnknown();
      // Where to look again depends on where the query starts: not compared.
      if (known) {
        expected.add(part.interval().end());
      }
    }
    boolean exhausted = known && after.size() < 4;

    List<Instant> walked = new ArrayList<>();
    Instant at = t;
    for (int i = 0; i < expected.size(); i++) {
      Optional<Instant> change = timeline.nextChange(at);
      if (change.isEmpty()) {
        break;
      }
      walked.add(change.get());
      at = change.get();
    }
    assertThat(walked).isEqualTo(expected);
    if (exhausted) {
      assertThat(timeline.nextChange(at)).as("nothing after the last occurrence").isEmpty();
    }
  }

  /**
   * Occurrences starting after t, as nextOccurrences finds them, with whether each end is known.
   */
  private static List<Timeline.Part> partsAfter(Timeline timeline, Instant t, int count) {
    List<Timeline.Part> parts = new ArrayList<>();
    Optional<Timeline.Part> next = timeline.firstPartEndingAfter(t);
    if (next.isPresent() && !next.get().interval().start().isAfter(t)) {
      next =
          next.get().endUnknown()
              ? Optional.empty()
              : timeline.firstPartEndingAfter(next.get().interval().end());
    }
    while (next.isPresent() && parts.size() < count) {
      parts.add(next.get());
      next =
          next.get().endUnknown()
              ? Optional.empty()
              : timeline.firstPartEndingAfter(next.get().interval().end());
    }
    return parts;
  }

  /** The reference: a raw occurrence contains t, t is active and not excluded. */
  static boolean openByDefinition(Case c, Instant t) {
    WindowSchedule s = c.schedule();
    ZoneId zone = c.zone();
    if (s.activeFrom() != null && t.isBefore(s.activeFrom().start(zone))) {
      return false;
    }
    if (s.activeUntil() != null && !t.isBefore(s.activeUntil().endExclusive(zone))) {
      return false;
    }
    for (WindowSchedule.Exclusion x : s.exclusions()) {
      if (!t.isBefore(x.from().start(zone)) && t.isBefore(x.to().endExclusive(zone))) {
        return false;
      }
    }
    Optional<Instant> start = s.starts().firstStartAtOrAfter(t.minus(s.duration()), zone, t);
    // Raw occurrences are [s, s + duration): a start exactly duration before t has ended.
    if (start.isPresent() && start.get().equals(t.minus(s.duration()))) {
      start = s.starts().firstStartAtOrAfter(start.get().plusNanos(1), zone, t);
    }
    return start.isPresent();
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(FIRST.getEpochSecond(), LAST.getEpochSecond())
        .flatMap(
            s ->
                Arbitraries.oneOf(
                    // on a minute (where starts and ends are), or anywhere
                    Arbitraries.just(Instant.ofEpochSecond(s - s % 60)),
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(n -> Instant.ofEpochSecond(s, n))));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return instants().flatMap(t -> cases(t).map(c -> new Scenario(c, t)));
  }

  private Arbitrary<Case> cases(Instant near) {
    Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> rules =
        Arbitraries.oneOf(weekly(), monthlyWeekday(), monthlyDay(), cron(), once(near));
    Arbitrary<Duration> durations =
        Arbitraries.oneOf(
            Arbitraries.integers().between(15, 240).map(Duration::ofMinutes),
            Arbitraries.integers().between(15, 7 * 24 * 60).map(Duration::ofMinutes),
            // whole hours and days make occurrences touch
            Arbitraries.of("30m", "1h", "2h", "6h", "1d", "2d", "7d").map(Durations::parse));
    Arbitrary<ZoneId> zones = Arbitraries.of(ZONES).map(ZoneId::of);
    Arbitrary<List<WindowSchedule.Exclusion>> exclusions =
        Arbitraries.oneOf(Arbitraries.just(List.of()), exclusion(near).list().ofMaxSize(3));
    Arbitrary<Optional<String>> from = optionalBound(near);
    Arbitrary<Optional<String>> until = optionalBound(near);
    return Combinators.combine(rules, durations, zones, exclusions, from, until)
        .as(
            (rule, duration, zone, xs, f, u) ->
                new Case(
                    new WindowSchedule(rule.get1(), duration, xs, bound(f), bound(u)),
                    zone,
                    rule.get2(),
                    rule.get3()
                        + " for "
                        + duration
                        + " excluding "
                        + describe(xs)
                        + f.map(b -> " from " + b).orElse("")
                        + u.map(b -> " until " + b).orElse("")));
  }

  private static DateOrTimestamp bound(Optional<String> value) {
    return value.map(DateOrTimestamp::parse).orElse(null);
  }

  private static String describe(List<WindowSchedule.Exclusion> xs) {
    return xs.stream().map(x -> x.name()).toList().toString();
  }

  private Arbitrary<LocalTime> times() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(0, 24 * 60 - 1),
            // around the usual daylight-saving changes (01:00..04:00)
            Arbitraries.integers().between(60, 240))
        .map(m -> LocalTime.of(m / 60, m % 60));
  }

  private Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> weekly() {
    return Combinators.combine(
            Arbitraries.of(DayOfWeek.class).set().ofMinSize(1).ofMaxSize(7), times())
        .as(
            (days, time) ->
                Tuple.of(
                    new DateRule(new DateSequence.Weekly(days), time),
                    minWeeklyGap(days),
                    "weekly " + days + " at " + time));
  }

  /** The fewest days between two picked days, less a daylight-saving hour. */
  private static Duration minWeeklyGap(Set<DayOfWeek> days) {
    int min = 7;
    for (DayOfWeek d : days) {
      for (int i = 1; i <= 7; i++) {
        if (days.contains(d.plus(i))) {
          min = Math.min(min, i);
          break;
        }
      }
    }
    return Duration.ofDays(min).minusHours(1);
  }

  private Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> monthlyWeekday() {
    return Combinators.combine(
            Arbitraries.of(1, 2, 3, 4, DateSequence.MonthlyWeekday.LAST),
            Arbitraries.of(DayOfWeek.class),
            Arbitraries.integers().between(-30, 30),
            times())
        .as(
            (ordinal, day, offset, time) ->
                Tuple.of(
                    new DateRule(new DateSequence.MonthlyWeekday(ordinal, day, offset), time),
                    Duration.ofDays(28).minusHours(1),
                    "monthly " + ordinal + ". " + day + " " + offset + " at " + time));
  }

  private Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> monthlyDay() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.integers().between(1, 31), Arbitraries.of(28, 29, 30, 31, -1)),
            times())
        .as(
            (day, time) ->
                Tuple.of(
                    new DateRule(new DateSequence.MonthlyDay(day), time),
                    Duration.ofDays(28).minusHours(1),
                    "day " + day + " of the month at " + time));
  }

  private Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> cron() {
    return Arbitraries.of(CRONS)
        .map(c -> Tuple.of(CronRule.parse(c.expression()), c.minGap(), "cron " + c.expression()));
  }

  private Arbitrary<Tuple.Tuple3<StartRule, Duration, String>> once(Instant near) {
    return Combinators.combine(Arbitraries.oneOf(dates(), datesNear(near)), times())
        .as(
            (date, time) ->
                Tuple.of(
                    new DateRule(new DateSequence.Once(date), time),
                    Duration.ofDays(100 * 366),
                    "once " + date + " at " + time));
  }

  private Arbitrary<LocalDate> dates() {
    return Arbitraries.integers()
        .between(0, (int) (LAST.getEpochSecond() - FIRST.getEpochSecond()) / 86400)
        .map(d -> LocalDate.ofInstant(FIRST, ZoneOffset.UTC).plusDays(d));
  }

  private Arbitrary<LocalDate> datesNear(Instant near) {
    return Arbitraries.integers()
        .between(-20, 20)
        .map(d -> LocalDate.ofInstant(near, ZoneOffset.UTC).plusDays(d));
  }

  private Arbitrary<Instant> instantsNear(Instant near) {
    return Arbitraries.integers()
        .between(-30 * 24 * 60, 30 * 24 * 60)
        .map(m -> near.plus(Duration.ofMinutes(m)));
  }

  /** A date range (whole days in the window's zone) or a timestamp range, up to a few weeks. */
  private Arbitrary<WindowSchedule.Exclusion> exclusion(Instant near) {
    Arbitrary<WindowSchedule.Exclusion> byDate =
        Combinators.combine(datesNear(near), Arbitraries.integers().between(0, 10))
            .as((from, days) -> exclusion(from.toString(), from.plusDays(days).toString()));
    Arbitrary<WindowSchedule.Exclusion> byTimestamp =
        Combinators.combine(instantsNear(near), Arbitraries.integers().between(1, 20 * 24 * 60))
            .as(
                (from, minutes) ->
                    exclusion(from.toString(), from.plus(Duration.ofMinutes(minutes)).toString()));
    return Arbitraries.oneOf(byDate, byTimestamp);
  }

  private static WindowSchedule.Exclusion exclusion(String from, String to) {
    return new WindowSchedule.Exclusion(
        from + ".." + to, DateOrTimestamp.parse(from), DateOrTimestamp.parse(to));
  }

  private Arbitrary<Optional<String>> optionalBound(Instant near) {
    Arbitrary<String> bound =
        Arbitraries.oneOf(
            datesNear(near).map(LocalDate::toString),
            instantsNear(near).map(Instant::toString),
            dates().map(LocalDate::toString));
    return Arbitraries.oneOf(
        Arbitraries.just(Optional.empty()),
        Arbitraries.just(Optional.empty()),
        bound.map(Optional::of));
  }
}
