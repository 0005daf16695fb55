package io.patchwarden.operator.window;

import io.patchwarden.api.common.Weekday;
import io.patchwarden.api.window.Exclusion;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.api.window.MonthlyRecurrence;
import io.patchwarden.api.window.Recurrence;
import io.patchwarden.operator.support.DateOrTimestamp;
import io.patchwarden.operator.support.Durations;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a {@link WindowSchedule} from a MaintenanceWindow spec that {@link
 * MaintenanceWindowValidator} accepted, and resolves the window's time zone.
 */
public final class WindowSchedules {
  private WindowSchedules() {}

  /**
   * @throws IllegalArgumentException if the spec was not validated first
   */
  public static WindowSchedule from(MaintenanceWindowSpec spec) {
    List<WindowSchedule.Exclusion> exclusions =
        spec.getExclusions() == null
            ? List.of()
            : spec.getExclusions().stream().map(WindowSchedules::exclusion).toList();
    return new WindowSchedule(
        starts(spec.getRecurrence(), spec.getStart()),
        Durations.parse(spec.getDuration()),
        exclusions,
        spec.getActiveFrom() == null ? null : DateOrTimestamp.parse(spec.getActiveFrom()),
        spec.getActiveUntil() == null ? null : DateOrTimestamp.parse(spec.getActiveUntil()));
  }

  /**
   * The window's own zone; empty for {@code Local} windows, which are evaluated in each target's
   * zone (or the fallback zone).
   */
  public static Optional<ZoneId> fixedZone(MaintenanceWindowSpec spec) {
    String zone = spec.getTimeZone() == null ? "UTC" : spec.getTimeZone();
    if (MaintenanceWindowValidator.LOCAL_TIME_ZONE.equals(zone)) {
      return Optional.empty();
    }
    return Optional.of(zoneOf(zone));
  }

  /** The zone a {@code Local} window uses for a target whose own zone is unknown. */
  public static ZoneId fallbackZone(MaintenanceWindowSpec spec) {
    return spec.getFallbackTimeZone() == null ? ZoneOffset.UTC : zoneOf(spec.getFallbackTimeZone());
  }

  private static ZoneId zoneOf(String zone) {
    return "UTC".equals(zone) ? ZoneOffset.UTC : ZoneId.of(zone);
  }

  private static StartRule starts(Recurrence r, String start) {
    if (r.getCron() != null) {
      return CronRule.parse(r.getCron());
    }
    LocalTime time = LocalTime.parse(start);
    if (r.getWeekly() != null) {
      Set<DayOfWeek> days =
          r.getWeekly().getDays().stream().map(Weekday::toDayOfWeek).collect(Collectors.toSet());
      return new DateRule(new DateSequence.Weekly(days), time);
    }
    if (r.getMonthly() != null) {
      return new DateRule(monthly(r.getMonthly()), time);
    }
    return new DateRule(new DateSequence.Once(LocalDate.parse(r.getOnce())), time);
  }

  private static DateSequence monthly(MonthlyRecurrence m) {
    if (m.getDayOfMonth() != null) {
      return new DateSequence.MonthlyDay(m.getDayOfMonth());
    }
    int ordinal =
        switch (m.getWeek()) {
          case First -> 1;
          case Second -> 2;
          case Third -> 3;
          case Fourth -> 4;
          case Last -> DateSequence.MonthlyWeekday.LAST;
        };
    int offset = m.getOffsetDays() == null ? 0 : m.getOffsetDays();
    return new DateSequence.MonthlyWeekday(ordinal, m.getDay().toDayOfWeek(), offset);
  }

  private static WindowSchedule.Exclusion exclusion(Exclusion e) {
    return new WindowSchedule.Exclusion(
        e.getName(), DateOrTimestamp.parse(e.getFrom()), DateOrTimestamp.parse(e.getTo()));
  }
}
