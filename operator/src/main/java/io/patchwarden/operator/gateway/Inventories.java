package io.patchwarden.operator.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.common.SeverityCounts;
import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.operator.support.Timestamps;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns what an agent reports into the bounded {@link Inventory} stored on its ManagedEndpoint: at
 * most {@link Inventory#MAX_PENDING_UPDATES} pending updates, the most severe kept, in a
 * deterministic order so an unchanged machine yields an identical inventory (and no write).
 */
public final class Inventories {
  private Inventories() {}

  /**
   * Most severe first, then by id: what is cut when an endpoint has too many updates matters least.
   */
  private static final Comparator<PendingUpdate> ORDER =
      Comparator.comparing(
              (PendingUpdate u) -> u.getSeverity() == null ? Severity.Unspecified : u.getSeverity())
          .reversed()
          .thenComparing(u -> u.getClassification() == Classification.Security ? 0 : 1)
          .thenComparing(PendingUpdate::getId);

  public static Inventory from(AgentInventory reported) {
    List<PendingUpdate> all =
        reported.pendingUpdates() == null ? List.of() : reported.pendingUpdates();
    List<PendingUpdate> sorted = all.stream().sorted(ORDER).toList();
    boolean truncated = sorted.size() > Inventory.MAX_PENDING_UPDATES;
    Inventory inventory = new Inventory();
    inventory.setHostname(reported.hostname());
    inventory.setOsFamily(reported.osFamily());
    inventory.setOsName(reported.osName());
    inventory.setOsVersion(reported.osVersion());
    inventory.setKernelVersion(reported.kernelVersion());
    inventory.setArchitecture(reported.architecture());
    inventory.setTimeZone(reported.timeZone());
    inventory.setAgentVersion(reported.agentVersion());
    inventory.setRebootRequired(reported.rebootRequired());
    inventory.setInstalledUpdateCount(reported.installedUpdateCount());
    inventory.setPendingUpdates(
        truncated ? sorted.subList(0, Inventory.MAX_PENDING_UPDATES) : sorted);
    inventory.setPendingUpdateCount(all.size());
    inventory.setPendingBySeverity(bySeverity(all));
    inventory.setPendingSecurityUpdateCount(
        (int) all.stream().filter(u -> u.getClassification() == Classification.Security).count());
    inventory.setPendingUpdatesTruncated(truncated ? Boolean.TRUE : null);
    inventory.setScannedAt(reported.scannedAt());
    return inventory;
  }

  /**
   * Sets each pending update's {@code firstSeen}: kept from the stored inventory for an update id
   * it already listed, {@code now} for a new one. Whatever the agent sent is overwritten — the date
   * is the operator's record of when the update appeared, which deferrals and deadlines count from
   * when the package source gives no release date (apt). Carrying it over keeps an unchanged
   * machine's inventory identical, so it still causes no write.
   */
  public static Inventory withFirstSeen(Inventory reported, Inventory stored, Instant now) {
    if (reported.getPendingUpdates() == null || reported.getPendingUpdates().isEmpty()) {
      return reported;
    }
    Map<String, String> known = new HashMap<>();
    if (stored != null && stored.getPendingUpdates() != null) {
      for (PendingUpdate u : stored.getPendingUpdates()) {
        if (u.getFirstSeen() != null) {
          known.put(u.getId(), u.getFirstSeen());
        }
      }
    }
    String today = Timestamps.format(now);
    for (PendingUpdate u : reported.getPendingUpdates()) {
      u.setFirstSeen(known.getOrDefault(u.getId(), today));
    }
    return reported;
  }

  private static SeverityCounts bySeverity(List<PendingUpdate> updates) {
    int[] counts = new int[Severity.values().length];
    for (PendingUpdate u : updates) {
      counts[(u.getSeverity() == null ? Severity.Unspecified : u.getSeverity()).ordinal()]++;
    }
    SeverityCounts c = new SeverityCounts();
    c.setCritical(counts[Severity.Critical.ordinal()]);
    c.setHigh(counts[Severity.High.ordinal()]);
    c.setMedium(counts[Severity.Medium.ordinal()]);
    c.setLow(counts[Severity.Low.ordinal()]);
    c.setUnspecified(counts[Severity.Unspecified.ordinal()]);
    return c;
  }

  /**
   * Whether two inventories say the same about the machine. The scan time is left out: a rescan
   * that found nothing new is not a change worth an API write.
   */
  public static boolean sameMachineState(Inventory a, Inventory b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(withoutScanTime(a), withoutScanTime(b));
  }

  /** On every check-in: one tree per inventory, no clone (serialising twice). */
  private static Object withoutScanTime(Inventory inventory) {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(inventory);
    tree.remove("scannedAt");
    return tree;
  }
}
