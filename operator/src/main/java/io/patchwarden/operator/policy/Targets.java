package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.patchwarden.api.endpoint.AssignmentResult;
import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.operator.support.DateOrTimestamp;
import io.patchwarden.operator.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns cached ManagedEndpoints and Nodes into the evaluation core's values. An endpoint is
 * converted again only when its resourceVersion changed, so a pass over a large, mostly quiet fleet
 * costs lookups rather than parsing. A field that cannot be read makes the target unreadable
 * (evaluated as Failed, naming the field) instead of failing the pass for every target.
 */
public final class Targets {
  private record Converted(String namespace, String resourceVersion, TargetFacts facts) {}

  private final Map<String, Converted> endpoints = new ConcurrentHashMap<>();

  TargetFacts endpoint(ManagedEndpoint endpoint, Duration staleAfter) {
    String uid = endpoint.getMetadata().getUid();
    String version = endpoint.getMetadata().getResourceVersion();
    Converted cached = uid == null ? null : endpoints.get(uid);
    TargetFacts facts;
    if (cached != null && version != null && version.equals(cached.resourceVersion())) {
      facts = cached.facts();
    } else {
      facts = convert(endpoint);
      if (uid != null) {
        endpoints.put(uid, new Converted(endpoint.getMetadata().getNamespace(), version, facts));
      }
    }
    return facts.staleAfter().equals(staleAfter) ? facts : withStaleAfter(facts, staleAfter);
  }

  /** Forgets the endpoints of a namespace that no longer exist (after each pass over it). */
  void retainOnly(String namespace, Set<String> liveUids) {
    endpoints
        .entrySet()
        .removeIf(
            e -> e.getValue().namespace().equals(namespace) && !liveUids.contains(e.getKey()));
  }

  static TargetFacts withStaleAfter(TargetFacts f, Duration staleAfter) {
    return new TargetFacts(
        f.name(),
        f.reported(),
        f.updates(),
        f.rebootRequired(),
        f.lastSeen(),
        staleAfter,
        f.failedUpdates(),
        f.inventoryProblem());
  }

  static TargetFacts convert(ManagedEndpoint endpoint) {
    String name = endpoint.getMetadata().getName();
    ManagedEndpointStatus status = endpoint.getStatus();
    Inventory inventory = status == null ? null : status.getInventory();
    Instant lastSeen = null;
    if (status != null && status.getLastSeen() != null) {
      lastSeen = Timestamps.parse(status.getLastSeen()).orElse(null);
      if (lastSeen == null) {
        return TargetFacts.unreadable(
            name,
            null,
            Duration.ZERO,
            "status.lastSeen '" + status.getLastSeen() + "' is not an RFC 3339 timestamp");
      }
    }
    if (inventory == null) {
      return new TargetFacts(
          name, false, List.of(), false, lastSeen, Duration.ZERO, Set.of(), null);
    }
    List<PendingUpdate> pending =
        inventory.getPendingUpdates() == null ? List.of() : inventory.getPendingUpdates();
    List<Update> updates = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      try {
        updates.add(update(pending.get(i)));
      } catch (IllegalArgumentException e) {
        return TargetFacts.unreadable(
            name,
            lastSeen,
            Duration.ZERO,
            "status.inventory.pendingUpdates[" + i + "]." + e.getMessage());
      }
    }
    return new TargetFacts(
        name,
        true,
        updates,
        Boolean.TRUE.equals(inventory.getRebootRequired()),
        lastSeen,
        Duration.ZERO,
        failed(status.getLastResult()),
        null);
  }

  /**
   * @throws IllegalArgumentException starting with the field name, e.g. "releaseDate: ..."
   */
  static Update update(PendingUpdate u) {
    if (u.getId() == null || u.getId().isBlank()) {
      throw new IllegalArgumentException("id: is missing");
    }
    Instant released = u.getReleaseDate() == null ? null : releaseDate(u.getReleaseDate());
    Instant firstSeen = null;
    // firstSeen matters only without a release date; leaving it out otherwise lets identical
    // updates on many endpoints be decided once (see ComplianceEvaluator).
    if (released == null && u.getFirstSeen() != null) {
      try {
        firstSeen = Instant.parse(u.getFirstSeen());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "firstSeen: '" + u.getFirstSeen() + "' is not an RFC 3339 timestamp");
      }
    }
    return new Update(
        u.getId(),
        u.getPackageName(),
        u.getVersion(),
        u.getClassification(),
        u.getSeverity(),
        u.getCves(),
        released,
        firstSeen);
  }

  /**
   * A fleet reports few distinct release dates (parsing two million of them dominated a cold pass),
   * so parsed dates are kept; the cache is bounded by dropping it when full.
   */
  private static final Map<String, Instant> RELEASE_DATES = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_DATES = 20_000;

  private static Instant releaseDate(String value) {
    Instant cached = RELEASE_DATES.get(value);
    if (cached != null) {
      return cached;
    }
    Instant parsed;
    try {
      parsed = DateOrTimestamp.parse(value).start(ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("releaseDate: " + e.getMessage());
    }
    if (RELEASE_DATES.size() >= MAX_CACHED_DATES) {
      RELEASE_DATES.clear();
    }
    RELEASE_DATES.put(value, parsed);
    return parsed;
  }

  private static Set<String> failed(AssignmentResult result) {
    if (result == null || result.getUpdates() == null) {
      return Set.of();
    }
    Set<String> failed = new HashSet<>();
    for (UpdateOutcome o : result.getUpdates()) {
      if (o.getResult() == UpdateResult.Failed) {
        failed.add(o.getId());
      }
    }
    return failed;
  }

  /** What a Node reports, as the evaluation core and the node state machine read it. */
  public static NodeFacts node(Node node, Duration staleAfter) {
    NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
    return new NodeFacts(
        node.getMetadata().getName(),
        info == null ? null : info.getKernelVersion(),
        info == null ? null : info.getOsImage(),
        info == null ? null : info.getKubeletVersion(),
        heartbeat(node),
        staleAfter,
        node.getMetadata().getAnnotations() == null
            ? null
            : node.getMetadata().getAnnotations().get(NodeAnnotations.PATCHED_WITH));
  }

  private static Instant heartbeat(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType()) && c.getLastHeartbeatTime() != null) {
        return Timestamps.parse(c.getLastHeartbeatTime()).orElse(null);
      }
    }
    return null;
  }
}
