package io.patchwarden.operator.window;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link WindowSchedule} evaluated in one time zone: the occurrences as real-time intervals.
 *
 * <p>Occurrences are computed directly from the recurrence (no minute-by-minute scan): raw
 * occurrences {@code [start, start + duration)} that overlap or touch are merged into one, then
 * clipped to the active range and cut by exclusions. Every query reduces to {@link
 * #firstEndingAfter(Instant)}.
 */
public final class Timeline {
  /** How far ahead a window is searched before it is declared never to open. */
  static final Duration HORIZON = Duration.ofDays(10 * 366);

  /** Bounds merging of a window whose occurrences overlap forever (e.g. hourly, 2h long). */
  private static final int MAX_MERGES = 10_000;

  private final StartRule starts;
  private final Duration duration;
  private final ZoneId zone;
  private final List<Interval> exclusions;
  private final Instant activeFrom;
  private final Instant activeUntil;

  Timeline(WindowSchedule schedule, ZoneId zone) {
    this.starts = schedule.starts();
    this.duration = schedule.duration();
    this.zone = zone;
    this.exclusions = mergedExclusions(schedule.exclusions(), zone);
    this.activeFrom = schedule.activeFrom() == null ? null : schedule.activeFrom().start(zone);
    this.activeUntil =
        schedule.activeUntil() == null ? null : schedule.activeUntil().endExclusive(zone);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The occurrence open at {@code now}, if any. */
  public Optional<Interval> currentOccurrence(Instant now) {
    return firstEndingAfter(now).filter(o -> !o.start().isAfter(now));
  }

  public boolean isOpen(Instant now) {
    return currentOccurrence(now).isPresent();
  }

  /** Up to {@code count} occurrences that start after {@code from}, in order. */
  public List<Interval> nextOccurrences(Instant from, int count) {
    List<Interval> result = new ArrayList<>(count);
    Optional<Interval> next = firstEndingAfter(from);
    if (next.isPresent() && !next.get().start().isAfter(from)) {
      next = firstEndingAfter(next.get().end());
    }
    while (next.isPresent() && result.size() < count) {
      result.add(next.get());
      next = firstEndingAfter(next.get().end());
    }
    return result;
  }

  /** The next instant strictly after {@code from} at which the window opens or closes. */
  public Optional<Instant> nextChange(Instant from) {
    return firstEndingAfter(from).map(o -> o.start().isAfter(from) ? o.start() : o.end());
  }

  /** Whether the window will never be open at or after {@code now} (within the search horizon). */
  public boolean neverOpensAfter(Instant now) {
    return firstEndingAfter(now).isEmpty();
  }

  /** The first occurrence that ends after {@code t}: the one open at t, or else the next one. */
  public Optional<Interval> firstEndingAfter(Instant t) {
    Instant horizon = t.plus(HORIZON);
    if (activeUntil != null && activeUntil.isBefore(horizon)) {
      horizon = activeUntil;
    }
    // A raw occurrence starting before t - duration ends before t.
    Instant scan = t.minus(duration);
    if (activeFrom != null && scan.isBefore(activeFrom.minus(duration))) {
      scan = activeFrom.minus(duration);
    }
    boolean first = true;
    while (!scan.isAfter(horizon)) {
      Optional<Interval> block = mergedBlock(scan, horizon, first);
      if (block.isEmpty()) {
        return Optional.empty();
      }
      first = false;
      Interval b = block.get();
      for (Interval fragment : openParts(b)) {
        if (fragment.end().isAfter(t)) {
          return Optional.of(fragment);
        }
      }
      scan = afterClosedBlock(b);
    }
    return Optional.empty();
  }

  /**
   * Raw occurrences from the first start at or after {@code scan}, merged while they overlap or
   * touch. The first block of a query may have begun before {@code scan}; look back for its start
   * so that every query reports the same occurrence.
   */
  private Optional<Interval> mergedBlock(Instant scan, Instant horizon, boolean lookBack) {
    Optional<Instant> first = starts.firstStartAtOrAfter(scan, zone, horizon);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Instant start = lookBack ? earliestChainedStart(first.get()) : first.get();
    Instant lastStart = first.get();
    Instant end = lastStart.plus(duration);
    for (int i = 0; i < MAX_MERGES; i++) {
      Optional<Instant> next = starts.firstStartAtOrAfter(lastStart.plusSeconds(1), zone, end);
      if (next.isEmpty()) {
        break;
      }
      lastStart = next.get();
      Instant nextEnd = lastStart.plus(duration);
      if (nextEnd.isAfter(end)) {
        end = nextEnd;
      }
    }
    return Optional.of(new Interval(start, end));
  }

  private Instant earliestChainedStart(Instant start) {
    Instant earliest = start;
    for (int i = 0; i < MAX_MERGES; i++) {
      Optional<Instant> before =
          starts.firstStartAtOrAfter(earliest.minus(duration), zone, earliest);
      if (before.isEmpty() || !before.get().isBefore(earliest)) {
        return earliest;
      }
      earliest = before.get();
    }
    return earliest;
  }

  /** The parts of a block inside the active range and outside every exclusion. */
  private List<Interval> openParts(Interval block) {
    Instant start = block.start();
    Instant end = block.end();
    if (activeFrom != null && start.isBefore(activeFrom)) {
      start = activeFrom;
    }
    if (activeUntil != null && end.isAfter(activeUntil)) {
      end = activeUntil;
    }
    List<Interval> parts = new ArrayList<>(1);
    Instant cursor = start;
    for (Interval x : exclusions) {
      if (!x.end().isAfter(cursor)) {
        continue;
      }
      if (!x.start().isBefore(end)) {
        break;
      }
      if (x.start().isAfter(cursor)) {
        parts.add(new Interval(cursor, x.start()));
      }
      cursor = x.end();
    }
    if (cursor.isBefore(end)) {
      parts.add(new Interval(cursor, end));
    }
    return parts;
  }

  /**
   * Where to look next after a block with nothing open left: after it, and when the block lies in
   * an exclusion, from the last raw start that could reach past that exclusion, so that a long
   * freeze over a frequent cron is skipped in one step.
   */
  private Instant afterClosedBlock(Interval block) {
    Instant next = block.end();
    for (Interval x : exclusions) {
      if (!x.start().isAfter(block.start()) && !x.end().isBefore(block.end())) {
        Instant jump = x.end().minus(duration);
        if (jump.isAfter(next)) {
          next = jump;
        }
      }
    }
    return next;
  }

  private static List<Interval> mergedExclusions(
      List<WindowSchedule.Exclusion> exclusions, ZoneId zone) {
    List<Interval> sorted = new ArrayList<>();
    for (WindowSchedule.Exclusion e : exclusions) {
      Instant from = e.from().start(zone);
      Instant to = e.to().endExclusive(zone);
      if (to.isAfter(from)) {
        sorted.add(new Interval(from, to));
      }
    }
    sorted.sort(Comparator.comparing(Interval::start));
    List<Interval> merged = new ArrayList<>();
    for (Interval x : sorted) {
      Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !x.start().isAfter(last.end())) {
        if (x.end().isAfter(last.end())) {
          merged.set(merged.size() - 1, new Interval(last.start(), x.end()));
        }
      } else {
        merged.add(x);
      }
    }
    return List.copyOf(merged);
  }
}
