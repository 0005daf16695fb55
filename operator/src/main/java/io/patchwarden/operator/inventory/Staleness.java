package io.patchwarden.operator.inventory;

import io.patchwarden.operator.support.Durations;
import io.patchwarden.operator.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
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
    return Timestamps.parse(lastSeen).map(seen -> seen.plus(staleAfter));
  }

  /** A lastSeen jump bigger than this means the endpoint was away: it may no longer be stale. */
  public static final Duration ABSENCE = Duration.ofMinutes(10);

  /**
   * Whether a lastSeen change means the endpoint came back after an absence (first seen, or a jump
   * bigger than {@link #ABSENCE}) rather than a routine refresh every few minutes.
   */
  public static boolean cameBack(String updatedLastSeen, String oldLastSeen) {
    Optional<Instant> after = Timestamps.parse(updatedLastSeen);
    Optional<Instant> before = Timestamps.parse(oldLastSeen);
    return after.isPresent()
        && (before.isEmpty() || Duration.between(before.get(), after.get()).compareTo(ABSENCE) > 0);
  }

  /** A group's staleAfter: the default when unset. */
  public static Duration staleAfter(String value) {
    return value == null ? DEFAULT_STALE_AFTER : Durations.parse(value);
  }

  /**
   * A group's staleAfter as other objects read it (a policy, an endpoint, the report): null when it
   * cannot be read, so that the group selects nothing for them; the group's own status names the
   * problem. {@link #staleAfter} throws instead.
   */
  public static Duration staleAfterOrNull(String value) {
    try {
      return staleAfter(value);
    } catch (IllegalArgumentException invalid) {
      return null;
    }
  }
}
