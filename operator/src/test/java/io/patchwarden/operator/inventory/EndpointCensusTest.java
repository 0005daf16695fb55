package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.OsFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointCensusTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration THREE_DAYS = Duration.ofDays(3);

  @Test
  void countsByOsFamilyAndStalenessAndFindsTheNextToTurnStale() {
    EndpointCensus census =
        EndpointCensus.of(
            List.of(
                new EndpointCensus.Member(OsFamily.Debian, "2026-11-23T11:55:00Z"),
                new EndpointCensus.Member(OsFamily.Debian, "2026-11-21T08:00:00Z"),
                new EndpointCensus.Member(OsFamily.Windows, "2026-11-19T12:00:00Z"),
                new EndpointCensus.Member(OsFamily.RedHat, "2026-11-20T12:00:00Z"),
                new EndpointCensus.Member(null, null)),
            THREE_DAYS,
            NOW);

    assertThat(census.byOsFamily())
        .isEqualTo(Map.of(OsFamily.Debian, 2, OsFamily.Windows, 1, OsFamily.RedHat, 1));
    assertThat(census.stale())
        .as("seen 4 days ago, seen exactly 3 days ago (stale from that instant), never seen")
        .isEqualTo(3);
    assertThat(census.nextStale()).contains(Instant.parse("2026-11-24T08:00:00Z"));
  }

  @Test
  void anEmptyGroupHasNothingToCount() {
    EndpointCensus census = EndpointCensus.of(List.of(), THREE_DAYS, NOW);
    assertThat(census.byOsFamily()).isEmpty();
    assertThat(census.stale()).isZero();
    assertThat(census.nextStale()).isEmpty();
  }
}
