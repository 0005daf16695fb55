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
 *
 * <p>A merged occurrence is followed for at most {@link #MAX_MERGES} raw occurrences each way from
 * the query (an hourly cron lasting 2h is open for ever, and each step is a cron evaluation). When
 * it goes on beyond that, its reported start is as far back as was looked, and its end is only the
 * time to look again: {@link #nextChange} returns that time although the window stays open there,
 * and {@link #nextOccurrences} lists nothing after it.
 */
public final class Timeline {
  /** How far ahead a window is searched before it is declared never to open. */
  static final Duration HORIZON = Duration.ofDays(10 * 366);

  /** Bounds the raw occurrences merged into one (e.g. about 41 days of an hourly cron). */
  static final int MAX_MERGES = 1_000;

  private final StartRule starts;
  private final Duration duration;
  private final ZoneId zone;
  private final List<Interval> exclusions;
  private final Instant activeFrom;
  private final Instant activeUntil;

  /**
   * An occurrence as the queries see it.
   *
   * @param endUnknown the occurrence was followed for {@link #MAX_MERGES} raw occurrences and goes
   *     on: its end is where to look again, not a close
   */
  record Part(Interval interval, boolean endUnknown) {}

  /**
   * Raw occurrences merged while they overlap or touch.
   *
   * @param lastStart the last raw start merged in
   * @param cutShort merging stopped at {@link #MAX_MERGES} although more raw occurrences chain on
   */
  private record Block(Interval span, Instant lastStart, boolean cutShort) {
    Block startingAt(Instant start) {
      return new Block(new Interval(start, span.end()), lastStart, cutShort);
    }
  }

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

  /**
   * Up to {@code count} occurrences that start after {@code from}, in order; none after one that
   * goes on beyond what is merged (see the class comment).
   */
  public List<Interval> nextOccurrences(Instant from, int count) {
    List<Interval> result = new ArrayList<>(count);
    Optional<Part> next = firstPartEndingAfter(from);
    if (next.isPresent() && !next.get().interval().start().isAfter(from)) {
      next = following(next.get());
    }
    while (next.isPresent() && result.size() < count) {
      result.add(next.get().interval());
      next = following(next.get());
    }
    return result;
  }

  private Optional<Part> following(Part part) {
    // After an occurrence whose end is unknown, what starts next is unknown too.
    return part.endUnknown() ? Optional.empty() : firstPartEndingAfter(part.interval().end());
  }

  /**
   * The next instant strictly after {@code from} at which the window opens or closes, or when an
   * occurrence goes on beyond what is merged, the time to look again (see the class comment).
   */
  public Optional<Instant> nextChange(Instant from) {
    return firstEndingAfter(from).map(o -> o.start().isAfter(from) ? o.start() : o.end());
  }

  /** Whether the window will never be open at or after {@code now} (within the search horizon). */
  public boolean neverOpensAfter(Instant now) {
    return firstEndingAfter(now).isEmpty();
  }

  /** The first occurrence that ends after {@code t}: the one open at t, or else the next one. */
  public Optional<Interval> firstEndingAfter(Instant t) {
    return firstPartEndingAfter(t).map(Part::interval);
  }

  /** {@link #firstEndingAfter}, with whether its end is known. */
  Optional<Part> firstPartEndingAfter(Instant t) {
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
      Optional<Block> found = mergedBlock(scan, horizon);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Block block = found.get();
      Optional<Part> part = firstPartEndingAfter(block, t);
      if (first && part.isPresent() && part.get().interval().start().equals(block.span().start())) {
        // The first block may have begun before scan; look back for its start so that every
        // query reports the same occurrence. Only then: each look back costs evaluations.
        part = firstPartEndingAfter(block.startingAt(earliestChainedStart(block)), t);
      }
      if (part.isPresent()) {
        return part;
      }
      first = false;
      scan = afterClosedBlock(block);
    }
    return Optional.empty();
  }

  private Optional<Part> firstPartEndingAfter(Block block, Instant t) {
    return openParts(block).stream().filter(p -> p.interval().end().isAfter(t)).findFirst();
  }

  /**
   * Raw occurrences from the first start at or after {@code scan} (but not after {@code horizon}),
   * merged while they overlap or touch.
   */
  private Optional<Block> mergedBlock(Instant scan, Instant horizon) {
    Optional<Instant> first = starts.firstStartAtOrAfter(scan, zone, horizon);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Instant lastStart = first.get();
    Instant end = lastStart.plus(duration);
    for (int merges = 0; ; merges++) {
      // Past the active range the block is cut anyway: its end there is known.
      if (activeUntil != null && !end.isBefore(activeUntil)) {
        return Optional.of(new Block(new Interval(first.get(), end), lastStart, false));
      }
      Optional<Instant> next = starts.firstStartAtOrAfter(lastStart.plusNanos(1), zone, end);
      if (next.isEmpty()) {
        return Optional.of(new Block(new Interval(first.get(), end), lastStart, false));
      }
      if (merges == MAX_MERGES) {
        return Optional.of(new Block(new Interval(first.get(), end), lastStart, true));
      }
      lastStart = next.get();
      end = lastStart.plus(duration);
    }
  }

  /**
   * The first raw start of the chain of overlapping or touching raw occurrences that leads to the
   * block's start; no further back than the active range begins (it is cut there anyway).
   */
  private Instant earliestChainedStart(Block block) {
    Instant earliest = block.span().start();
    for (int i = 0; i < MAX_MERGES; i++) {
      if (activeFrom != null && !earliest.isAfter(activeFrom)) {
        return earliest;
      }
      Optional<Instant> before =
          starts.firstStartAtOrAfter(earliest.minus(duration), zone, earliest);
      if (before.isEmpty() || !before.get().isBefore(earliest)) {
        return earliest;
      }
      earliest = before.get();
    }
    return earliest;
  }

  /**
   * The parts of a block inside the active range and outside every exclusion. Only a part that
   * reaches the end of a block cut short has an unknown end.
   */
  private List<Part> openParts(Block block) {
    Instant start = block.span().start();
    Instant end = block.span().end();
    if (activeFrom != null && start.isBefore(activeFrom)) {
      start = activeFrom;
    }
    if (activeUntil != null && end.isAfter(activeUntil)) {
      end = activeUntil;
    }
    List<Part> parts = new ArrayList<>(1);
    Instant cursor = start;
    for (Interval x : exclusions) {
      if (!x.end().isAfter(cursor)) {
        continue;
      }
      if (!x.start().isBefore(end)) {
        break;
      }
      if (x.start().isAfter(cursor)) {
        parts.add(new Part(new Interval(cursor, x.start()), false));
      }
      cursor = x.end();
    }
    if (cursor.isBefore(end)) {
      boolean endUnknown = block.cutShort() && end.equals(block.span().end());
      parts.add(new Part(new Interval(cursor, end), endUnknown));
    }
    return parts;
  }

  /**
   * Where to look next after a block with nothing open left: after it (after its last raw start if
   * it was cut short: the chain goes on), and when the block lies in an exclusion, from the last
   * raw start that could reach past that exclusion, so that a long freeze over a frequent cron is
   * skipped in one step.
   */
  private Instant afterClosedBlock(Block block) {
    Instant next = block.cutShort() ? block.lastStart().plusNanos(1) : block.span().end();
    for (Interval x : exclusions) {
      if (!x.start().isAfter(block.span().start()) && !x.end().isBefore(block.span().end())) {
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
