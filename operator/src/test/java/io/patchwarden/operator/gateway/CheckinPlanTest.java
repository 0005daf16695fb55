package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.endpoint.Inventory;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CheckinPlanTest {
  private static final Instant SEEN = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration REFRESH = Duration.ofMinutes(5);

  private static Inventory inventory(boolean rebootRequired) {
    Inventory i = new Inventory();
    i.setOsFamily(OsFamily.Debian);
    i.setRebootRequired(rebootRequired);
    return i;
  }

  @Property
  void anUnchangedMachineRefreshesLastSeenOnlyAfterThreeQuartersToAllOfTheRefreshPeriod(
      @ForAll @IntRange(max = 600) int secondsLater,
      @ForAll @DoubleRange(max = 0.99) double spread) {
    Instant now = SEEN.plusSeconds(secondsLater);
    CheckinPlan plan =
        CheckinPlan.decide(
            inventory(false), SEEN.toString(), inventory(false), now, REFRESH, spread);

    assertThat(plan.inventory()).isNull();
    if (secondsLater < 225) {
      assertThat(plan.writes()).as("before 75%% of 5 minutes").isFalse();
    }
    if (secondsLater >= 300) {
      assertThat(plan.lastSeen()).as("after the full period").isEqualTo(now);
    }
  }

  @Test
  void aChangeIsWrittenAtOnceWithLastSeen() {
    Instant now = SEEN.plusSeconds(10);
    CheckinPlan plan =
        CheckinPlan.decide(inventory(false), SEEN.toString(), inventory(true), now, REFRESH, 0.5);
    assertThat(plan.inventory().getRebootRequired()).isTrue();
    assertThat(plan.lastSeen()).isEqualTo(now);
  }

  @Test
  void theScanTimeAloneIsNoChange() {
    Inventory before = inventory(false);
    before.setScannedAt("2026-11-23T09:59:00Z");
    Inventory after = inventory(false);
    after.setScannedAt("2026-11-23T10:00:10Z");
    assertThat(
            CheckinPlan.decide(before, SEEN.toString(), after, SEEN.plusSeconds(10), REFRESH, 0)
                .writes())
        .isFalse();
  }

  @Test
  void spreadsAreStablePerNameAndCoverTheRange() {
    assertThat(CheckinPlan.spreadOf("ep-1")).isEqualTo(CheckinPlan.spreadOf("ep-1"));
    double min = 1;
    double max = 0;
    for (int i = 0; i < 10_000; i++) {
      double s = CheckinPlan.spreadOf("ep-" + i);
      assertThat(s).isBetween(0.0, 0.999);
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    assertThat(max - min).isGreaterThan(0.9);
  }
}
