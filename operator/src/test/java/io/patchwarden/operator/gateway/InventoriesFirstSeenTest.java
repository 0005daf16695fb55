package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoriesFirstSeenTest {
  private static Inventory inventory(PendingUpdate... updates) {
    Inventory i = new Inventory();
    i.setPendingUpdates(new ArrayList<>(List.of(updates)));
    return i;
  }

  private static PendingUpdate update(String id, String firstSeen) {
    PendingUpdate u = new PendingUpdate();
    u.setId(id);
    u.setFirstSeen(firstSeen);
    return u;
  }

  @Test
  void knownUpdatesKeepTheirFirstSightingAndNewOnesGetNow() {
    Instant now = Instant.parse("2026-11-23T12:00:00.5Z");
    Inventory stored =
        inventory(update("a=1", "2026-11-01T08:00:00Z"), update("gone=1", "2026-10-01T08:00:00Z"));
    // An agent cannot backdate an update: what it sends is overwritten.
    Inventory reported = inventory(update("a=1", "1999-01-01T00:00:00Z"), update("b=1", null));
    Inventory result = Inventories.withFirstSeen(reported, stored, now);
    assertThat(result.getPendingUpdates())
        .extracting(PendingUpdate::getId, PendingUpdate::getFirstSeen)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a=1", "2026-11-01T08:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("b=1", "2026-11-23T12:00:00Z"));
  }

  @Test
  void anUnchangedMachineStaysTheSameStateAndCausesNoWrite() {
    Instant first = Instant.parse("2026-11-23T12:00:00Z");
    Inventory stored = Inventories.withFirstSeen(inventory(update("a=1", null)), null, first);
    Inventory again =
        Inventories.withFirstSeen(inventory(update("a=1", null)), stored, first.plusSeconds(3600));
    assertThat(Inventories.sameMachineState(stored, again)).isTrue();
  }
}
