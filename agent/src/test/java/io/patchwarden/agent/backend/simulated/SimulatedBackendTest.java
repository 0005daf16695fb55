package io.patchwarden.agent.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedBackendTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-20T09:00:00Z"), ZoneOffset.UTC);

  private static SimulatedMachine machineWithUpdates() {
    Catalogue catalogue = Catalogue.generate(5, LocalDate.of(2025, 3, 20));
    for (int i = 0; ; i++) {
      SimulatedMachine m = SimulatedMachine.create(catalogue, 5, i);
      if (m.pending().size() >= 3) {
        return m;
      }
    }
  }

  private static List<AssignedUpdate> assign(List<PendingUpdate> updates) {
    return updates.stream()
        .map(u -> new AssignedUpdate(u.getId(), u.getPackageName(), u.getVersion()))
        .toList();
  }

  @Test
  void installingRemovesFromPending() {
    SimulatedBackend backend =
        new SimulatedBackend(machineWithUpdates(), 0.0, new SplittableRandom(1), CLOCK);
    AgentInventory before = backend.scan();
    List<AssignedUpdate> two = assign(before.pendingUpdates().subList(0, 2));

    List<UpdateOutcome> outcomes = backend.install(two);

    assertThat(outcomes).extracting(UpdateOutcome::getResult).doesNotContain(UpdateResult.Failed);
    assertThat(backend.scan().pendingUpdates())
        .hasSize(before.pendingUpdates().size() - 2)
        .extracting(PendingUpdate::getId)
        .doesNotContain(two.get(0).getId(), two.get(1).getId());
    assertThat(backend.scan().scannedAt()).isEqualTo("2025-03-20T09:00:00Z");
  }

  @Test
  void failsAtTheConfiguredRateAndKeepsFailedUpdatesPending() {
    SimulatedBackend backend =
        new SimulatedBackend(machineWithUpdates(), 1.0, new SplittableRandom(1), CLOCK);
    List<AssignedUpdate> all = assign(backend.scan().pendingUpdates());

    assertThat(backend.install(all))
        .allSatisfy(
            o -> {
              assertThat(o.getResult()).isEqualTo(UpdateResult.Failed);
              assertThat(o.getMessage()).isNotBlank();
            });
    assertThat(backend.scan().pendingUpdates()).hasSize(all.size());
  }

  @Test
  void installsOnlyWhatIsPendingAtThatVersion() {
    SimulatedBackend backend =
        new SimulatedBackend(machineWithUpdates(), 0.0, new SplittableRandom(1), CLOCK);
    PendingUpdate p = backend.scan().pendingUpdates().get(0);

    List<UpdateOutcome> outcomes =
        backend.install(
            List.of(
                new AssignedUpdate(p.getId(), p.getPackageName(), "0.0.1-other"),
                new AssignedUpdate("not-there", "nothing", "1")));

    assertThat(outcomes).extracting(UpdateOutcome::getResult).containsOnly(UpdateResult.Failed);
  }

  @Test
  void installDurationsAreRealistic() {
    SimulatedBackend backend =
        new SimulatedBackend(machineWithUpdates(), 0.0, new SplittableRandom(1), CLOCK);
    List<AssignedUpdate> all = assign(backend.scan().pendingUpdates());

    assertThat(backend.installDuration(all).toSeconds()).isBetween(5L, 3600L * 5);
  }
}
