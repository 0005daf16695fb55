package io.patchwarden.operator.window;

import java.time.Duration;
import java.time.Instant;

/** A half-open span of time [start, end). */
public record Interval(Instant start, Instant end) {
  public Interval {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("empty interval " + start + ".." + end);
    }
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }

  public Duration length() {
    return Duration.between(start, end);
  }
}
