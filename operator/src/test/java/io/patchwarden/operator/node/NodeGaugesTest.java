package io.patchwarden.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.operator.metrics.MetricNames;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeGaugesTest {
  static final Instant NOW = Instant.parse("2026-11-01T02:00:00Z");

  static Node node(String name, String policy, String state, String since) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (policy != null) {
      b.editMetadata()
          .withAnnotations(
              Map.of(
                  NodeAnnotations.POLICY, policy,
                  NodeAnnotations.RUN, "r",
                  NodeAnnotations.STATE, state,
                  NodeAnnotations.SINCE, since))
          .endMetadata();
    }
    return b.build();
  }

  @Test
  void countsEveryStateAndAgesTheLongestWaitingNode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeGauges gauges = new NodeGauges(registry, Clock.fixed(NOW, ZoneOffset.UTC));
    Node idle = node("a", null, null, null);
    Node otherPolicy = node("b", "ns/other", "Patching", "2026-11-01T00:00:00Z");
    Node draining = node("c", "ns/p", "Cordoned", "2026-11-01T01:00:00Z");
    Node done = node("d", "ns/p", "Done", "2026-11-01T00:30:00Z");
    Node leftGroup = node("e", "ns/p", "Rebooting", "2026-11-01T01:30:00Z");
    gauges.put(
        "ns",
        "p",
        "ns/p",
        List.of(idle, otherPolicy, draining, done),
        List.of(draining, done, leftGroup));
    gauges.refresh();

    assertThat(value(registry, MetricNames.NODES, "Idle")).isEqualTo(2);
    assertThat(value(registry, MetricNames.NODES, "Cordoned")).isEqualTo(1);
    assertThat(value(registry, MetricNames.NODES, "Done")).isEqualTo(1);
    assertThat(value(registry, MetricNames.NODES, "Rebooting")).isEqualTo(1);
    assertThat(value(registry, MetricNames.NODES, "Failed")).isZero();
    // c has waited an hour in Cordoned; e only 30 minutes; b belongs to another policy.
    assertThat(registry.get(MetricNames.NODE_OLDEST_IN_FLIGHT).gauge().value()).isEqualTo(3600);

    gauges.remove("ns", "p");
    gauges.refresh();
    assertThat(registry.find(MetricNames.NODES).gauges()).isEmpty();
    assertThat(registry.find(MetricNames.NODE_OLDEST_IN_FLIGHT).gauges()).isEmpty();
  }

  @Test
  void aPolicyWithoutNodesHasNoSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeGauges gauges = new NodeGauges(registry, Clock.fixed(NOW, ZoneOffset.UTC));
    gauges.put("ns", "p", "ns/p", List.of(), List.of());
    gauges.refresh();
    assertThat(registry.find(MetricNames.NODES).gauges()).isEmpty();
  }

  private static double value(SimpleMeterRegistry registry, String name, String state) {
    return registry.get(name).tag(MetricNames.STATE, state).gauge().value();
  }
}
