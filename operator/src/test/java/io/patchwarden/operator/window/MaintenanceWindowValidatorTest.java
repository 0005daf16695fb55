package io.patchwarden.operator.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Weekday;
import io.patchwarden.api.window.Exclusion;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.api.window.MonthlyRecurrence;
import io.patchwarden.api.window.Recurrence;
import io.patchwarden.api.window.WeekOfMonth;
import io.patchwarden.api.window.WeeklyRecurrence;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaintenanceWindowValidatorTest {

  private static MaintenanceWindowSpec weekly() {
    MaintenanceWindowSpec spec = new MaintenanceWindowSpec();
    spec.setTimeZone("Europe/Berlin");
    Recurrence r = new Recurrence();
    WeeklyRecurrence w = new WeeklyRecurrence();
    w.setDays(List.of(Weekday.Tuesday, Weekday.Thursday));
    r.setWeekly(w);
    spec.setRecurrence(r);
    spec.setStart("19:00");
    spec.setDuration("3h");
    return spec;
  }

  private static MaintenanceWindowSpec cron(String expression) {
    MaintenanceWindowSpec spec = weekly();
    spec.getRecurrence().setWeekly(null);
    spec.getRecurrence().setCron(expression);
    spec.setStart(null);
    return spec;
  }

  private static SpecProblem only(List<SpecProblem> problems) {
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  @Test
  void aValidWeeklyWindowHasNoProblems() {
    assertThat(MaintenanceWindowValidator.validate(weekly())).isEmpty();
  }

  @Test
  void localTimeZoneIsAllowedButNotAsFallback() {
    MaintenanceWindowSpec spec = weekly();
    spec.setTimeZone("Local");
    assertThat(MaintenanceWindowValidator.validate(spec)).isEmpty();

    spec.setFallbackTimeZone("Local");
    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidTimeZone);
    assertThat(p.field()).isEqualTo("spec.fallbackTimeZone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Europe/Berlinn", "Mars/Olympus_Mons", "CEST2"})
  void unknownTimeZonesAreNamed(String zone) {
    MaintenanceWindowSpec spec = weekly();
    spec.setTimeZone(zone);
    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidTimeZone);
    assertThat(p.describe()).startsWith("spec.timeZone: ").contains(zone);
  }

  @Test
  void aValidCronNeedsNoStart() {
    assertThat(MaintenanceWindowValidator.validate(cron("0 22 * * 4"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 25 * * *", "* * *", "0 22 * * Funday", "0 0 0 0 0 0"})
  void invalidCronIsReported(String expression) {
    SpecProblem p = only(MaintenanceWindowValidator.validate(cron(expression)));
    assertThat(p.reason()).isEqualTo(Reason.InvalidCron);
    assertThat(p.field()).isEqualTo("spec.recurrence.cron");
    assertThat(p.message()).contains(expression);
  }

  @Test
  void cronAndStartTogetherAreRejected() {
    MaintenanceWindowSpec spec = cron("0 22 * * 4");
    spec.setStart("22:00");
    assertThat(only(MaintenanceWindowValidator.validate(spec)).field()).isEqualTo("spec.start");
  }

  @Test
  void twoRecurrenceKindsAreRejected() {
    MaintenanceWindowSpec spec = weekly();
    spec.getRecurrence().setOnce("2026-12-01");
    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidRecurrence);
    assertThat(p.field()).isEqualTo("spec.recurrence");
  }

  @Test
  void monthlyNeedsWeekAndDayOrDayOfMonth() {
    MaintenanceWindowSpec spec = weekly();
    spec.getRecurrence().setWeekly(null);
    MonthlyRecurrence m = new MonthlyRecurrence();
    m.setWeek(WeekOfMonth.Second);
    m.setDay(Weekday.Tuesday);
    m.setOffsetDays(2);
    spec.getRecurrence().setMonthly(m);
    assertThat(MaintenanceWindowValidator.validate(spec)).isEmpty();

    m.setDayOfMonth(15);
    assertThat(MaintenanceWindowValidator.validate(spec))
        .extracting(SpecProblem::field)
        .contains("spec.recurrence.monthly");

    m.setWeek(null);
    m.setDay(null);
    m.setOffsetDays(null);
    m.setDayOfMonth(0);
    assertThat(only(MaintenanceWindowValidator.validate(spec)).field())
        .isEqualTo("spec.recurrence.monthly.dayOfMonth");
  }

  @Test
  void offsetDaysOutOfRangeIsReported() {
    MaintenanceWindowSpec spec = weekly();
    spec.getRecurrence().setWeekly(null);
    MonthlyRecurrence m = new MonthlyRecurrence();
    m.setWeek(WeekOfMonth.Last);
    m.setDay(Weekday.Friday);
    m.setOffsetDays(31);
    spec.getRecurrence().setMonthly(m);
    assertThat(only(MaintenanceWindowValidator.validate(spec)).field())
        .isEqualTo("spec.recurrence.monthly.offsetDays");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0m", "14m", "7d1m", "8d"})
  void durationOutsideFifteenMinutesToSevenDaysIsRejected(String duration) {
    MaintenanceWindowSpec spec = weekly();
    spec.setDuration(duration);
    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidDuration);
    assertThat(p.field()).isEqualTo("spec.duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"15m", "7d", "1d12h"})
  void durationBoundsAreInclusive(String duration) {
    MaintenanceWindowSpec spec = weekly();
    spec.setDuration(duration);
    assertThat(MaintenanceWindowValidator.validate(spec)).isEmpty();
  }

  @Test
  void exclusionFromAfterToIsNamedByIndex() {
    MaintenanceWindowSpec spec = weekly();
    Exclusion ok = new Exclusion();
    ok.setName("year-end");
    ok.setFrom("2026-12-20");
    ok.setTo("2027-01-06");
    Exclusion bad = new Exclusion();
    bad.setName("backwards");
    bad.setFrom("2027-03-02");
    bad.setTo("2027-03-01");
    spec.setExclusions(List.of(ok, bad));

    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidDate);
    assertThat(p.field()).isEqualTo("spec.exclusions[1].from");
  }

  @Test
  void aSingleDayExclusionWithATimestampStartIsInOrder() {
    MaintenanceWindowSpec spec = weekly();
    Exclusion e = new Exclusion();
    e.setName("audit-day");
    e.setFrom("2027-03-02T08:00:00Z");
    e.setTo("2027-03-02");
    spec.setExclusions(List.of(e));
    assertThat(MaintenanceWindowValidator.validate(spec)).isEmpty();
  }

  @Test
  void impossibleOnceDateIsReported() {
    MaintenanceWindowSpec spec = weekly();
    spec.getRecurrence().setWeekly(null);
    spec.getRecurrence().setOnce("2027-02-29");
    SpecProblem p = only(MaintenanceWindowValidator.validate(spec));
    assertThat(p.reason()).isEqualTo(Reason.InvalidDate);
    assertThat(p.field()).isEqualTo("spec.recurrence.once");
  }

  @Test
  void missingSpecIsReportedNotThrown() {
    assertThat(only(MaintenanceWindowValidator.validate(null)).reason())
        .isEqualTo(Reason.MissingSpec);
  }
}
