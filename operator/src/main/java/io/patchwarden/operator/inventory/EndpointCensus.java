package io.patchwarden.operator.inventory;

import io.patchwarden.api.common.OsFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group's endpoints counted by OS family and staleness, and when the next one turns stale (so the
 * group can re-count exactly then). Pure.
 *
 * @param byOsFamily endpoints per reported OS family (endpoints that never reported are left out)
 * @param stale endpoints not seen within the group's staleAfter
 * @param nextStale when the next endpoint that is fresh now turns stale
 */
public record EndpointCensus(
    Map<OsFamily, Integer> byOsFamily, int stale, Optional<Instant> nextStale) {

  /** What the census needs of one endpoint. */
  public record Member(OsFamily osFamily, String lastSeen) {}

  public static EndpointCensus of(List<Member> members, Duration staleAfter, Instant now) {
    Map<OsFamily, Integer> byOsFamily = new EnumMap<>(OsFamily.class);
    int stale = 0;
    Instant next = null;
    for (Member m : members) {
      if (m.osFamily() != null) {
        byOsFamily.merge(m.osFamily(), 1, Integer::sum);
      }
      Optional<Instant> staleAt = Staleness.staleSince(m.lastSeen(), staleAfter);
      if (staleAt.isEmpty() || !staleAt.get().isAfter(now)) {
        stale++;
      } else if (next == null || staleAt.get().isBefore(next)) {
        next = staleAt.get();
      }
    }
    return new EndpointCensus(Map.copyOf(byOsFamily), stale, Optional.ofNullable(next));
  }
}
