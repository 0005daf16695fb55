package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupStatus;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * EndpointGroups count the ManagedEndpoints and Nodes they select, and follow label changes,
 * creations and deletions of members through the informers. The operator watches only some
 * namespaces, so this also covers the ManagedEndpoint informer following the controller's
 * namespaces and the Node informer staying cluster-wide.
 */
@Timeout(120)
class EndpointGroupMembershipMockServerTest {
  private static final String ACME = "acme";
  private static final String BETA = "beta";
  private static final String DELTA = "delta";
  private static final String UNWATCHED = "gamma";
  private static TestCluster cluster;
  private static PatchwardenOperator operator;

  @BeforeAll
  static void start() throws IOException {
    cluster = new MockServerCluster();
    cluster.installCrds();
    OperatorSettings settings =
        OperatorSettings.fromEnvironment(
            Map.of(
                OperatorSettings.LEADER_ELECTION, "false",
                OperatorSettings.MANAGEMENT_PORT, "0",
                OperatorSettings.GATEWAY_PORT, "0",
                OperatorSettings.SERVER_SIDE_APPLY, "false",
                OperatorSettings.WATCH_NAMESPACES, ACME + "," + BETA + "," + DELTA));
    operator = PatchwardenOperator.start(cluster.client(), settings, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static KubernetesClient client() {
    return cluster.client();
  }

  @Test
  void aGroupCountsTheEndpointsItsLabelsSelectInItsNamespace() {
    endpoint(ACME, "pc-1", Map.of("patchwarden.io/role", "laptop"));
    endpoint(ACME, "pc-2", Map.of("patchwarden.io/role", "laptop", "site", "berlin"));
    endpoint(ACME, "srv-1", Map.of("patchwarden.io/role", "server"));
    endpoint(BETA, "pc-9", Map.of("patchwarden.io/role", "laptop"));
    group(
        ACME,
        """
        metadata: {name: laptops}
        spec:
          endpointSelector: {matchLabels: {patchwarden.io/role: laptop}}
        """);

    EndpointGroupStatus status = awaitStatus(ACME, "laptops", s -> eq(s.getEndpoints(), 2));
    assertThat(status.getNodes()).as("no nodeSelector, no node count").isNull();
    assertThat(status.getStale()).as("never seen: stale").isEqualTo(2);
    assertThat(status.getOsFamilies()).as("no inventory reported yet").isNull();
    assertThat(Conditions.ready(status).getStatus()).isEqualTo(ConditionStatus.TRUE);
    assertThat(Conditions.ready(status).getReason()).isEqualTo("SpecValid");
    assertThat(Conditions.ready(status).getMessage()).isEqualTo("Selects 2 endpoints.");

    relabel(ACME, "srv-1", Map.of("patchwarden.io/role", "laptop"));
    awaitStatus(ACME, "laptops", s -> eq(s.getEndpoints(), 3));

    relabel(ACME, "pc-1", Map.of("patchwarden.io/role", "retired"));
    awaitStatus(ACME, "laptops", s -> eq(s.getEndpoints(), 2));

    client().resources(ManagedEndpoint.class).inNamespace(ACME).withName("pc-2").delete();
    status = awaitStatus(ACME, "laptops", s -> eq(s.getEndpoints(), 1));
    assertThat(Conditions.ready(status).getMessage()).isEqualTo("Selects 1 endpoint.");

    endpoint(ACME, "pc-3", Map.of("patchwarden.io/role", "laptop"));
    awaitStatus(ACME, "laptops", s -> eq(s.getEndpoints(), 2));
  }

  @Test
  void aGroupCountsNodesClusterWideWithSetBasedSelectors() {
    node("worker-1", Map.of("membership-test/role", "worker"));
    node("worker-2", Map.of("membership-test/role", "worker", "membership-test/gpu", "true"));
    node("control-1", Map.of("membership-test/role", "control-plane"));
    endpoint(DELTA, "any-1", Map.of());
    endpoint(DELTA, "any-2", Map.of("site", "paris"));
    group(
        DELTA,
        """
        metadata: {name: cpu-workers}
        spec:
          nodeSelector:
            matchExpressions:
              - {key: membership-test/role, operator: In, values: [worker]}
              - {key: membership-test/gpu, operator: DoesNotExist}
          endpointSelector:
            matchExpressions:
              - {key: site, operator: NotIn, values: [rome]}
        """);

    EndpointGroupStatus status =
        awaitStatus(DELTA, "cpu-workers", s -> eq(s.getNodes(), 1) && eq(s.getEndpoints(), 2));
    assertThat(Conditions.ready(status).getMessage()).isEqualTo("Selects 2 endpoints and 1 node.");

    client()
        .nodes()
        .withName("worker-2")
        .edit(
            n -> {
              n.getMetadata().getLabels().remove("membership-test/gpu");
              return n;
            });
    awaitStatus(DELTA, "cpu-workers", s -> eq(s.getNodes(), 2));

    client().nodes().withName("worker-1").delete();
    awaitStatus(DELTA, "cpu-workers", s -> eq(s.getNodes(), 1));

    relabel(DELTA, "any-2", Map.of("site", "rome"));
    awaitStatus(DELTA, "cpu-workers", s -> eq(s.getEndpoints(), 1) && eq(s.getNodes(), 1));
  }

  @Test
  void anEmptyNodeSelectorCountsEveryNode() {
    node("plain-1", Map.of());
    group(
        BETA,
        """
        metadata: {name: all-nodes}
        spec:
          nodeSelector: {}
        """);
    awaitStatus(
        BETA,
        "all-nodes",
        s -> s.getNodes() != null && s.getNodes() == client().nodes().list().getItems().size());
  }

  @Test
  void endpointsOfUnwatchedNamespacesAreNotSeen() {
    cluster.createNamespace(UNWATCHED);
    endpoint(UNWATCHED, "hidden", Map.of("membership-test/only", "here"));
    endpoint(ACME, "visible", Map.of("membership-test/only", "here"));
    group(
        ACME,
        """
        metadata: {name: only-here}
        spec:
          endpointSelector: {matchExpressions: [{key: membership-test/only, operator: Exists}]}
        """);
    awaitStatus(ACME, "only-here", s -> eq(s.getEndpoints(), 1));
  }

  @Test
  void anInvalidGroupReportsNoCounts() {
    group(
        ACME,
        """
        metadata: {name: typo}
        spec:
          endpointSelector: {matchExpressions: [{key: site, operator: Equals, values: [x]}]}
        """);
    EndpointGroupStatus status =
        awaitStatus(
            ACME,
            "typo",
            s ->
                Conditions.of(s, "Ready")
                    .map(c -> c.getStatus() == ConditionStatus.FALSE)
                    .orElse(false));
    assertThat(status.getEndpoints()).isNull();
    assertThat(status.getNodes()).isNull();
  }

  private static boolean eq(Integer actual, int expected) {
    return actual != null && actual == expected;
  }

  private static EndpointGroupStatus awaitStatus(
      String namespace, String name, Predicate<EndpointGroupStatus> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              EndpointGroup group =
                  client()
                      .resources(EndpointGroup.class)
                      .inNamespace(namespace)
                      .withName(name)
                      .get();
              return group == null ? null : group.getStatus();
            },
            s -> s != null && condition.test(s));
  }

  private static void group(String namespace, String yaml) {
    EndpointGroup group =
        Serialization.unmarshal(
            "apiVersion: patchwarden.io/v1alpha1\nkind: EndpointGroup\n" + yaml,
            EndpointGroup.class);
    group.getMetadata().setNamespace(namespace);
    client().resource(group).create();
  }

  private static void endpoint(String namespace, String name, Map<String, String> labels) {
    ManagedEndpoint endpoint = new ManagedEndpoint();
    endpoint.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
    ManagedEndpointSpec spec = new ManagedEndpointSpec();
    spec.setMachineId("machine-" + namespace + "-" + name);
    endpoint.setSpec(spec);
    client().resource(endpoint).create();
  }

  private static void relabel(String namespace, String name, Map<String, String> labels) {
    client()
        .resources(ManagedEndpoint.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            e -> {
              e.getMetadata().setLabels(labels);
              return e;
            });
  }

  private static void node(String name, Map<String, String> labels) {
    Node node =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    client().nodes().resource(node).create();
  }
}
