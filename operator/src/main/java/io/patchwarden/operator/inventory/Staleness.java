package io.patchwarden.operator.inventory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether a target is stale: not seen within {@code staleAfter}. A target never seen is stale.
 * Unknown is never compliant, so staleness is counted and shown rather than hidden. Pure.
 */
public final class Staleness {
  /** The staleAfter of an endpoint no group selects. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(7);

  private Staleness() {}

  public static boolean isStale(String lastSeen, Duration staleAfter, Instant now) {
    return staleSince(lastSeen, staleAfter).map(since -> !since.isAfter(now)).orElse(true);
  }

  /** When a target seen at {@code lastSeen} becomes stale; empty if it was never seen. */
  public static Optional<Instant> staleSince(String lastSeen, Duration staleAfter) {
    return parse(lastSeen).map(seen -> seen.plus(staleAfter));
  }

  public static Optional<Instant> parse(String timestamp) {
    if (timestamp == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
