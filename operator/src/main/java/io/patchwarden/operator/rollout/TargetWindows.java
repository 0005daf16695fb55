package io.patchwarden.operator.rollout;

import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.window.Interval;
import io.patchwarden.operator.window.MaintenanceWindowValidator;
import io.patchwarden.operator.window.Timeline;
import io.patchwarden.operator.window.WindowSchedules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy's windows as seen from each target: open now (and until when), or when one opens next.
 * {@code Local} windows are evaluated in the target's own time zone (its inventory), or the
 * window's fallback zone. Timelines are built once per window and zone per pass.
 */
final class TargetWindows {
  private final List<MaintenanceWindow> windows;
  private final Instant now;
  private final Duration noWindowInstallTime;
  private final Map<String, Timeline> timelines = new HashMap<>();
  // Per target zone: window queries cost up to milliseconds (cron), targets share few zones.
  private final Map<String, Optional<Interval>> open = new HashMap<>();
  private final Map<String, Optional<Instant>> opening = new HashMap<>();
  private Instant nextChange;

  /**
   * @param windows the policy's windows that exist and are valid; empty: changes may happen at any
   *     time
   */
  TargetWindows(List<MaintenanceWindow> windows, Instant now, Duration noWindowInstallTime) {
    this.windows = windows;
    this.now = now;
    this.noWindowInstallTime = noWindowInstallTime;
  }

  /** The occurrence open for a target in this zone now (the one ending last), or null. */
  Interval openFor(String targetZone) {
    return open.computeIfAbsent(
            String.valueOf(targetZone), z -> Optional.ofNullable(computeOpen(targetZone)))
        .orElse(null);
  }

  /** When a window next opens for a target in this zone, or null if none will. */
  Instant nextOpening(String targetZone) {
    return opening
        .computeIfAbsent(
            String.valueOf(targetZone), z -> Optional.ofNullable(computeOpening(targetZone)))
        .orElse(null);
  }

  private Interval computeOpen(String targetZone) {
    if (windows.isEmpty()) {
      return new Interval(now, now.plus(noWindowInstallTime));
    }
    Interval best = null;
    for (MaintenanceWindow w : windows) {
      Timeline t = timeline(w, targetZone);
      if (t == null) {
        continue;
      }
      t.nextChange(now).ifPresent(this::noteChange);
      Optional<Interval> open = t.currentOccurrence(now);
      if (open.isPresent() && (best == null || open.get().end().isAfter(best.end()))) {
        best = open.get();
      }
    }
    return best;
  }

  private Instant computeOpening(String targetZone) {
    Instant next = null;
    for (MaintenanceWindow w : windows) {
      Timeline t = timeline(w, targetZone);
      if (t == null) {
        continue;
      }
      List<Interval> occurrences = t.nextOccurrences(now, 1);
      if (!occurrences.isEmpty() && (next == null || occurrences.get(0).start().isBefore(next))) {
        next = occurrences.get(0).start();
      }
    }
    return next;
  }

  /** The earliest moment a window opens or closes for any target seen so far. */
  Instant nextChange() {
    return nextChange;
  }

  private void noteChange(Instant at) {
    if (at.isAfter(now) && (nextChange == null || at.isBefore(nextChange))) {
      nextChange = at;
    }
  }

  private Timeline timeline(MaintenanceWindow w, String targetZone) {
    ZoneId zone = WindowSchedules.fixedZone(w.getSpec()).orElseGet(() -> local(w, targetZone));
    String key = w.getMetadata().getName() + "@" + zone.getId();
    return timelines.computeIfAbsent(key, k -> WindowSchedules.from(w.getSpec()).in(zone));
  }

  private static ZoneId local(MaintenanceWindow w, String targetZone) {
    if (targetZone != null && !MaintenanceWindowValidator.LOCAL_TIME_ZONE.equals(targetZone)) {
      try {
        return ZoneId.of(targetZone);
      } catch (DateTimeException e) {
        // An endpoint reporting an unknown zone falls back like one reporting none.
      }
    }
    return WindowSchedules.fallbackZone(w.getSpec());
  }
}
