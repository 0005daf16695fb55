package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A group's staleAfter, as the group itself and as the objects that use the group read it. */
class StalenessTest {
  @Test
  void anUnsetStaleAfterIsTheDefaultAndASetOneIsRead() {
    assertThat(Staleness.staleAfter(null)).isEqualTo(Staleness.DEFAULT_STALE_AFTER);
    assertThat(Staleness.staleAfterOrNull(null)).isEqualTo(Staleness.DEFAULT_STALE_AFTER);
    assertThat(Staleness.staleAfterOrNull("2d")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void anUnreadableStaleAfterIsNoneForTheObjectsThatUseTheGroup() {
    // Found by SpecFuzzMockServerTest: a policy naming a group with staleAfter 99999999999999d
    // threw out of every reconcile (PolicyCaches.members), and so did the report.
    assertThatThrownBy(() -> Staleness.staleAfter("99999999999999d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Staleness.staleAfterOrNull("99999999999999d")).isNull();
  }
}
