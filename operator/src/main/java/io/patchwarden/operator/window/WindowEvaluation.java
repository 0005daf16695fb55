package io.patchwarden.operator.window;

import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.support.DateOrTimestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What a MaintenanceWindow's status says at an instant: its problems, or whether it is open, the
 * current and next occurrences and when that changes. Pure: the reconciler and the metrics both
 * derive from it.
 *
 * @param problems why the window is not usable; empty when it is
 * @param zone the window's own zone; empty for a {@code Local} window (no single open state)
 * @param current the occurrence open now (fixed zone only)
 * @param next the next occurrences after now (fixed zone only)
 * @param nextChange when the window next opens or closes (fixed zone only)
 * @param summary a sentence for the Ready condition
 */
public record WindowEvaluation(
    List<SpecProblem> problems,
    Optional<ZoneId> zone,
    Optional<Interval> current,
    List<Interval> next,
    Optional<Instant> nextChange,
    String summary) {

  /** How many upcoming occurrences the status lists. */
  public static final int NEXT_OCCURRENCES = 3;

  public boolean valid() {
    return problems.isEmpty();
  }

  public static WindowEvaluation of(MaintenanceWindowSpec spec, Instant now) {
    List<SpecProblem> problems = MaintenanceWindowValidator.validate(spec);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    WindowSchedule schedule = WindowSchedules.from(spec);
    Optional<ZoneId> zone = WindowSchedules.fixedZone(spec);
    ZoneId in = zone.orElseGet(() -> WindowSchedules.fallbackZone(spec));
    Timeline timeline = schedule.in(in);
    if (timeline.neverOpensAfter(now)) {
      return invalid(List.of(neverOpens(spec, schedule, in, now)));
    }
    if (zone.isEmpty()) {
      return new WindowEvaluation(
          List.of(),
          zone,
          Optional.empty(),
          List.of(),
          Optional.empty(),
          "Opens in each target's own time zone (fallback "
              + WindowSchedules.fallbackZone(spec).getId()
              + ").");
    }
    Optional<Interval> current = timeline.currentOccurrence(now);
    List<Interval> next = timeline.nextOccurrences(now, NEXT_OCCURRENCES);
    String summary =
        current
            .map(c -> "Open until " + c.end() + ".")
            .orElseGet(
                () ->
                    next.isEmpty()
                        ? "Closed; no further occurrence."
                        : "Closed; opens next at " + next.get(0).start() + ".");
    return new WindowEvaluation(List.of(), zone, current, next, timeline.nextChange(now), summary);
  }

  private static WindowEvaluation invalid(List<SpecProblem> problems) {
    return new WindowEvaluation(
        problems, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), "");
  }

  /**
   * The schedule as if it had no exclusions: when that never opens either, the exclusions are not
   * the cause (a cron date that does not exist, with a freeze listed as well).
   */
  private static WindowSchedule withoutExclusions(WindowSchedule schedule) {
    return new WindowSchedule(
        schedule.starts(),
        schedule.duration(),
        List.of(),
        schedule.activeFrom(),
        schedule.activeUntil());
  }

  /** Names the field that most likely makes the window never open. */
  private static SpecProblem neverOpens(
      MaintenanceWindowSpec spec, WindowSchedule schedule, ZoneId zone, Instant now) {
    String once = spec.getRecurrence().getOnce();
    if (once != null
        && LocalDate.parse(once).isBefore(LocalDate.ofInstant(now, ZoneId.of("UTC")))) {
      return new SpecProblem(
          Reason.NeverOpens, "spec.recurrence.once", "'" + once + "' is in the past");
    }
    if (spec.getActiveUntil() != null
        && !DateOrTimestamp.parse(spec.getActiveUntil())
            .endExclusive(ZoneId.of("UTC"))
            .isAfter(now)) {
      return new SpecProblem(
          Reason.NeverOpens, "spec.activeUntil", "'" + spec.getActiveUntil() + "' has passed");
    }
    if (spec.getExclusions() != null
        && !spec.getExclusions().isEmpty()
        && !withoutExclusions(schedule).in(zone).neverOpensAfter(now)) {
      return new SpecProblem(
          Reason.NeverOpens,
          "spec.exclusions",
          "exclude every remaining occurrence; the window never opens again");
    }
    return new SpecProblem(
        Reason.NeverOpens,
        "spec.recurrence",
        "has no occurrence in the next ten years (e.g. a cron date that does not exist)");
  }
}
