package io.patchwarden.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.operator.metrics.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code patchwarden_nodes{namespace,policy,state}}: a policy's nodes by the state of their patch
 * run, counted from the policy pass's view of the nodes (set, never incremented, so it cannot
 * drift); every state is present for a policy with nodes, and the series vanish with the policy.
 */
public final class NodeGauges {
  /** The state of a member node that is in no run of the policy. */
  public static final String IDLE = "Idle";

  private record Key(String namespace, String policy) {}

  /** A policy's nodes: counts per state, and since when the longest-waiting one waits. */
  private record View(Map<String, Integer> byState, Instant oldestInFlight) {}

  private final Map<Key, View> views = new ConcurrentHashMap<>();
  private final Clock clock;
  private final MultiGauge nodes;
  private final MultiGauge oldest;

  public NodeGauges(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    nodes =
        MultiGauge.builder(MetricNames.NODES)
            .description(MetricNames.NODES_HELP)
            .register(registry);
    oldest =
        MultiGauge.builder(MetricNames.NODE_OLDEST_IN_FLIGHT)
            .description(MetricNames.NODE_OLDEST_IN_FLIGHT_HELP)
            .baseUnit("seconds")
            .register(registry);
  }

  /**
   * @param members the nodes the policy's groups select
   * @param inRun the nodes whose record names the policy (members or not)
   */
  public void put(
      String namespace,
      String policy,
      String policyId,
      Collection<Node> members,
      Collection<Node> inRun) {
    Map<String, Integer> byState = count(policyId, members, inRun);
    if (byState == null) {
      remove(namespace, policy);
    } else {
      views.put(new Key(namespace, policy), new View(byState, oldestInFlight(policyId, inRun)));
    }
  }

  /** When the longest-waiting in-flight node entered its state, or null when none is in flight. */
  static Instant oldestInFlight(String policyId, Collection<Node> inRun) {
    Instant oldest = null;
    for (Node n : inRun) {
      NodeRecord r = NodePatcher.record(n);
      if (r != null && r.policy().equals(policyId) && !r.state().finished()) {
        oldest = oldest == null || r.since().isBefore(oldest) ? r.since() : oldest;
      }
    }
    return oldest;
  }

  /** Counts per state (every state present), or null when the policy has no nodes at all. */
  static Map<String, Integer> count(
      String policyId, Collection<Node> members, Collection<Node> inRun) {
    Set<String> seen = new HashSet<>();
    Map<String, Integer> byState = new LinkedHashMap<>();
    byState.put(IDLE, 0);
    for (NodeState s : NodeState.values()) {
      byState.put(s.name(), 0);
    }
    for (Node n : members) {
      seen.add(n.getMetadata().getName());
      byState.merge(stateOf(policyId, n), 1, Integer::sum);
    }
    for (Node n : inRun) {
      if (seen.add(n.getMetadata().getName())) {
        byState.merge(stateOf(policyId, n), 1, Integer::sum);
      }
    }
    return seen.isEmpty() ? null : byState;
  }

  private static String stateOf(String policyId, Node node) {
    NodeRecord r = NodePatcher.record(node);
    return r == null || !r.policy().equals(policyId) ? IDLE : r.state().name();
  }

  public void remove(String namespace, String policy) {
    views.remove(new Key(namespace, policy));
  }

  public void refresh() {
    Instant now = clock.instant();
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
    views.forEach(
        (key, view) -> {
          Instant since = view.oldestInFlight();
          oldestRows.add(
              MultiGauge.Row.of(
                  Tags.of(MetricNames.NAMESPACE, key.namespace(), MetricNames.POLICY, key.policy()),
                  since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds())));
        });
    views.forEach(
        (key, view) ->
            view.byState()
                .forEach(
                    (state, n) ->
                        rows.add(
                            MultiGauge.Row.of(
                                Tags.of(
                                    MetricNames.NAMESPACE,
                                    key.namespace(),
                                    MetricNames.POLICY,
                                    key.policy(),
                                    MetricNames.STATE,
                                    state),
                                n))));
    nodes.register(rows, true);
    oldest.register(oldestRows, true);
  }
}
