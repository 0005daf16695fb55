package io.patchwarden.operator.window;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.patchwarden.api.window.Exclusion;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.api.window.MonthlyRecurrence;
import io.patchwarden.api.window.Recurrence;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.support.DateOrTimestamp;
import io.patchwarden.operator.support.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what the CRD schema cannot (time zones, cron syntax, real calendar dates, duration bounds)
 * and repeats the schema's CEL rules, which API servers before 1.25 do not enforce.
 */
public final class MaintenanceWindowValidator {
  public static final String LOCAL_TIME_ZONE = "Local";
  static final Duration MIN_DURATION = Duration.ofMinutes(15);
  static final Duration MAX_DURATION = Duration.ofDays(7);
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private MaintenanceWindowValidator() {}

  public static List<SpecProblem> validate(MaintenanceWindowSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(new SpecProblem(Reason.MissingSpec, "spec", "is missing"));
      return problems;
    }
    checkZone(spec.getTimeZone(), "spec.timeZone", true, problems);
    checkZone(spec.getFallbackTimeZone(), "spec.fallbackTimeZone", false, problems);
    checkRecurrence(spec, problems);
    checkDuration(spec.getDuration(), problems);
    checkExclusions(spec.getExclusions(), problems);
    checkActiveRange(spec, problems);
    return problems;
  }

  private static void checkZone(
      String zone, String field, boolean localAllowed, List<SpecProblem> problems) {
    if (zone == null || (localAllowed && LOCAL_TIME_ZONE.equals(zone))) {
      return;
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      problems.add(
          new SpecProblem(
              Reason.InvalidTimeZone,
              field,
              "unknown time zone '"
                  + zone
                  + "'; use an IANA name such as Europe/Berlin"
                  + (localAllowed ? ", or Local" : "")));
    }
  }

  private static void checkRecurrence(MaintenanceWindowSpec spec, List<SpecProblem> problems) {
    Recurrence r = spec.getRecurrence();
    if (r == null) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              "spec.recurrence",
              "is missing; set one of weekly, monthly, cron or once"));
      return;
    }
    int kinds =
        (r.getWeekly() != null ? 1 : 0)
            + (r.getMonthly() != null ? 1 : 0)
            + (r.getCron() != null ? 1 : 0)
            + (r.getOnce() != null ? 1 : 0);
    if (kinds != 1) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              "spec.recurrence",
              "must set exactly one of weekly, monthly, cron or once (found " + kinds + ")"));
    }
    if (r.getWeekly() != null
        && (r.getWeekly().getDays() == null || r.getWeekly().getDays().isEmpty())) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              "spec.recurrence.weekly.days",
              "must list at least one day"));
    }
    if (r.getMonthly() != null) {
      checkMonthly(r.getMonthly(), problems);
    }
    if (r.getCron() != null) {
      checkCron(r.getCron(), problems);
    }
    if (r.getOnce() != null) {
      checkDate(r.getOnce(), "spec.recurrence.once", problems);
    }
    boolean cron = r.getCron() != null;
    if (cron && spec.getStart() != null) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              "spec.start",
              "must be omitted with spec.recurrence.cron (the cron expression gives the start)"));
    } else if (!cron && spec.getStart() == null) {
      problems.add(
          new SpecProblem(Reason.InvalidRecurrence, "spec.start", "is missing; set HH:MM"));
    }
  }

  private static void checkMonthly(MonthlyRecurrence m, List<SpecProblem> problems) {
    String field = "spec.recurrence.monthly";
    boolean ordinal = m.getWeek() != null || m.getDay() != null;
    if ((m.getWeek() == null) != (m.getDay() == null)) {
      problems.add(
          new SpecProblem(Reason.InvalidRecurrence, field, "week and day must be set together"));
    }
    if (ordinal == (m.getDayOfMonth() != null)) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence, field, "set either week+day or dayOfMonth, not both"));
    }
    if (m.getOffsetDays() != null && !ordinal) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              field + ".offsetDays",
              "applies only together with week and day"));
    }
    if (m.getOffsetDays() != null && Math.abs(m.getOffsetDays()) > 30) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence, field + ".offsetDays", "must be between -30 and 30"));
    }
    Integer dom = m.getDayOfMonth();
    if (dom != null && (dom == 0 || dom < -1 || dom > 31)) {
      problems.add(
          new SpecProblem(
              Reason.InvalidRecurrence,
              field + ".dayOfMonth",
              "must be 1..31, or -1 for the last day of the month"));
    }
  }

  private static void checkCron(String cron, List<SpecProblem> problems) {
    try {
      CRON.parse(cron).validate();
    } catch (IllegalArgumentException e) {
      problems.add(
          new SpecProblem(
              Reason.InvalidCron,
              "spec.recurrence.cron",
              "'"
                  + cron
                  + "' is not a 5-field cron expression (minute hour day-of-month month"
                  + " day-of-week): "
                  + e.getMessage()));
    }
  }

  private static void checkDate(String value, String field, List<SpecProblem> problems) {
    try {
      LocalDate.parse(value);
    } catch (DateTimeException e) {
      problems.add(
          new SpecProblem(Reason.InvalidDate, field, "'" + value + "' is not a calendar date"));
    }
  }

  private static void checkDuration(String value, List<SpecProblem> problems) {
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(Reason.InvalidDuration, "spec.duration", e.getMessage()));
      return;
    }
    if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
      problems.add(
          new SpecProblem(
              Reason.InvalidDuration,
              "spec.duration",
              "'" + value + "' is out of range; a window lasts at least 15m and at most 7d"));
    }
  }

  private static void checkExclusions(List<Exclusion> exclusions, List<SpecProblem> problems) {
    if (exclusions == null) {
      return;
    }
    for (int i = 0; i < exclusions.size(); i++) {
      Exclusion e = exclusions.get(i);
      String field = "spec.exclusions[" + i + "]";
      checkRange(e.getFrom(), e.getTo(), field + ".from", field + ".to", problems);
    }
  }

  private static void checkActiveRange(MaintenanceWindowSpec spec, List<SpecProblem> problems) {
    if (spec.getActiveFrom() == null && spec.getActiveUntil() == null) {
      return;
    }
    if (spec.getActiveFrom() == null || spec.getActiveUntil() == null) {
      parseInto(spec.getActiveFrom(), "spec.activeFrom", problems);
      parseInto(spec.getActiveUntil(), "spec.activeUntil", problems);
      return;
    }
    checkRange(
        spec.getActiveFrom(),
        spec.getActiveUntil(),
        "spec.activeFrom",
        "spec.activeUntil",
        problems);
  }

  private static void checkRange(
      String from, String to, String fromField, String toField, List<SpecProblem> problems) {
    DateOrTimestamp start = parseInto(from, fromField, problems);
    DateOrTimestamp end = parseInto(to, toField, problems);
    if (start != null && end != null && !inOrder(start, end)) {
      problems.add(
          new SpecProblem(
              Reason.InvalidDate,
              fromField,
              "'" + from + "' is after " + toField + " '" + to + "'"));
    }
  }

  /**
   * Whether a range is non-empty. Compared in UTC: the window's own zone shifts both ends alike for
   * dates, and the check is about order, not about exact instants. An inclusive date end covers its
   * whole day; a timestamp end may equal a timestamp start.
   */
  private static boolean inOrder(DateOrTimestamp from, DateOrTimestamp to) {
    var start = from.start(ZoneOffset.UTC);
    var end = to.endExclusive(ZoneOffset.UTC);
    return to.isDate() ? start.isBefore(end) : !start.isAfter(end);
  }

  private static DateOrTimestamp parseInto(String value, String field, List<SpecProblem> problems) {
    if (value == null) {
      return null;
    }
    try {
      return DateOrTimestamp.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(Reason.InvalidDate, field, e.getMessage()));
      return null;
    }
  }
}
