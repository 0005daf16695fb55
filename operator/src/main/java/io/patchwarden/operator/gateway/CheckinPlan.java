package io.patchwarden.operator.gateway;

import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.operator.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a check-in writes to its endpoint's status: nothing when the machine is unchanged and {@code
 * lastSeen} is recent; otherwise the new inventory and/or a fresh {@code lastSeen}. This is what
 * keeps 10,000 agents from turning into 10,000 writes a minute. Pure.
 *
 * @param inventory the inventory to write, or null to leave it
 * @param lastSeen the lastSeen to write, or null to leave it
 */
public record CheckinPlan(Inventory inventory, Instant lastSeen) {

  public boolean writes() {
    return inventory != null || lastSeen != null;
  }

  /**
   * @param spread in [0, 1): this endpoint's share of the refresh jitter. Endpoints enrolled
   *     together would otherwise all refresh lastSeen in the same second, every refresh period;
   *     each refreshes after between 75% and 100% of {@code refresh} instead.
   */
  public static CheckinPlan decide(
      Inventory stored,
      String storedLastSeen,
      Inventory reported,
      Instant now,
      Duration refresh,
      double spread) {
    boolean changed = !Inventories.sameMachineState(stored, reported);
    Optional<Instant> lastSeen = Timestamps.parse(storedLastSeen);
    Duration due = refresh.minus(refresh.multipliedBy(Math.round(spread * 250)).dividedBy(1000));
    boolean stale = lastSeen.isEmpty() || !lastSeen.get().plus(due).isAfter(now);
    if (changed) {
      return new CheckinPlan(reported, now);
    }
    return new CheckinPlan(null, stale ? now : null);
  }

  /** A stable spread in [0, 1) for an endpoint, from its name. */
  public static double spreadOf(String name) {
    return Math.floorMod(name.hashCode(), 1000) / 1000.0;
  }
}
