package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.endpoint.AssignmentResult;
import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

  private static PendingUpdate pending(String id, String released, String firstSeen) {
    PendingUpdate u = new PendingUpdate();
    u.setId(id);
    u.setReleaseDate(released);
    u.setFirstSeen(firstSeen);
    return u;
  }

  private static ManagedEndpoint endpoint(String resourceVersion, List<PendingUpdate> updates) {
    ManagedEndpoint e = new ManagedEndpoint();
    e.getMetadata().setName("pc");
    e.getMetadata().setNamespace("ns");
    e.getMetadata().setUid("uid-1");
    e.getMetadata().setResourceVersion(resourceVersion);
    ManagedEndpointStatus s = new ManagedEndpointStatus();
    s.setLastSeen("2026-11-23T10:00:00Z");
    Inventory inventory = new Inventory();
    inventory.setPendingUpdates(updates);
    inventory.setRebootRequired(true);
    s.setInventory(inventory);
    AssignmentResult result = new AssignmentResult();
    result.setUpdates(
        List.of(
            new UpdateOutcome("a=1", UpdateResult.Failed, "dpkg error"),
            new UpdateOutcome("b=1", UpdateResult.Installed, null)));
    s.setLastResult(result);
    e.setStatus(s);
    return e;
  }

  @Test
  void anEndpointBecomesFacts() {
    TargetFacts f =
        new Targets()
            .endpoint(
                endpoint(
                    "1",
                    List.of(
                        pending("a=1", "2026-11-01", null),
                        pending("b=1", null, "2026-11-20T08:00:00Z"))),
                Duration.ofDays(3));
    assertThat(f.reported()).isTrue();
    assertThat(f.rebootRequired()).isTrue();
    assertThat(f.lastSeen()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(f.staleAfter()).isEqualTo(Duration.ofDays(3));
    assertThat(f.failedUpdates()).containsExactly("a=1");
    assertThat(f.updates().get(0).released()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(f.updates().get(1).countedFrom()).contains(Instant.parse("2026-11-20T08:00:00Z"));
  }

  @Test
  void firstSeenIsDroppedWhenTheReleaseDateIsKnownSoThatEqualUpdatesAreShared() {
    Update a = Targets.update(pending("a=1", "2026-11-01", "2026-11-20T08:00:00Z"));
    Update b = Targets.update(pending("a=1", "2026-11-01", "2026-11-21T09:00:00Z"));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void anUnreadableFieldMakesTheTargetUnreadableNamingTheField() {
    TargetFacts f =
        Targets.convert(
            endpoint("1", List.of(pending("a=1", null, null), pending("b=1", "2026-02-30", null))));
    assertThat(f.inventoryProblem())
        .startsWith(
            "status.inventory.pendingUpdates[1].releaseDate: '2026-02-30' is not a valid date");
  }

  @Test
  void conversionIsCachedByResourceVersion() {
    Targets targets = new Targets();
    TargetFacts first =
        targets.endpoint(endpoint("7", List.of(pending("a=1", null, null))), Duration.ofDays(1));
    assertThat(targets.endpoint(endpoint("7", List.of()), Duration.ofDays(1)).updates())
        .as("same resourceVersion: the cached facts")
        .isSameAs(first.updates());
    assertThat(targets.endpoint(endpoint("8", List.of()), Duration.ofDays(1)).updates()).isEmpty();
    targets.retainOnly("ns", java.util.Set.of());
    assertThat(
            targets
                .endpoint(endpoint("8", List.of(pending("c=1", null, null))), Duration.ofDays(1))
                .updates())
        .as("forgotten, so converted again")
        .hasSize(1);
  }
}
