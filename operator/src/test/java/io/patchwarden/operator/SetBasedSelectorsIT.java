package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.OperatorScenario;
import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EndpointGroups with set-based selectors select exactly what the API server itself selects with
 * the same selector (the mock server ignores In/NotIn/Exists/DoesNotExist when listing): each
 * group's member count is compared with a LIST filtered by the real kube-apiserver.
 */
@Timeout(180)
class SetBasedSelectorsIT extends OperatorScenario {
  private static final String NS = "set-based-selectors";
  private static final String KEY = "selectors-it/";
  private static final YAMLMapper YAML = new YAMLMapper();

  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }

  @Override
  protected void prepare() {
    cluster.createNamespace(NS);
    endpoint("laptop-berlin", Map.of(KEY + "role", "laptop", KEY + "site", "berlin"));
    endpoint("laptop-paris", Map.of(KEY + "role", "laptop", KEY + "site", "paris"));
    endpoint("laptop-nosite", Map.of(KEY + "role", "laptop"));
    endpoint("server-berlin", Map.of(KEY + "role", "server", KEY + "site", "berlin"));
    endpoint("nas", Map.of(KEY + "role", "nas", KEY + "pilot", "true"));
    endpoint("unlabelled", Map.of());
    node("sel-worker-1", Map.of(KEY + "pool", "general"));
    node("sel-worker-2", Map.of(KEY + "pool", "gpu", KEY + "pilot", "true"));
    node("sel-control-1", Map.of(KEY + "control-plane", ""));
  }

  /** Nodes are cluster-wide and the real API server is shared: remove this class's nodes. */
  @AfterAll
  void deleteNodes() {
    cluster.client().nodes().withLabelSelector(KEY + "test=true").delete();
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        Arguments.of(
            "in",
            "{matchExpressions: [{key: " + KEY + "role, operator: In, values: [laptop, nas]}]}"),
        Arguments.of(
            "not-in",
            "{matchExpressions: [{key: " + KEY + "site, operator: NotIn, values: [berlin]}]}"),
        Arguments.of("exists", "{matchExpressions: [{key: " + KEY + "site, operator: Exists}]}"),
        Arguments.of(
            "does-not-exist",
            "{matchExpressions: [{key: " + KEY + "site, operator: DoesNotExist}]}"),
        Arguments.of(
            "mixed",
            "{matchLabels: {"
                + KEY
                + "role: laptop}, matchExpressions: [{key: "
                + KEY
                + "site, operator: NotIn, values: [paris]}, {key: "
                + KEY
                + "pilot, operator: DoesNotExist}]}"),
        Arguments.of("everything", "{}"));
  }

  static Stream<Arguments> nodeSelectors() {
    return Stream.of(
        Arguments.of("in", expression("pool", "In", "[general, gpu]")),
        Arguments.of("not-in", expression("pool", "NotIn", "[gpu]")),
        Arguments.of("exists", expression("control-plane", "Exists", null)),
        Arguments.of("does-not-exist", expression("control-plane", "DoesNotExist", null)),
        Arguments.of(
            "mixed",
            "{matchExpressions: [{key: "
                + KEY
                + "pool, operator: Exists}, {key: "
                + KEY
                + "pilot, operator: DoesNotExist}]}"),
        Arguments.of("everything", "{}"));
  }

  private static String expression(String key, String operator, String values) {
    return "{matchExpressions: [{key: "
        + KEY
        + key
        + ", operator: "
        + operator
        + (values == null ? "" : ", values: " + values)
        + "}]}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectors")
  void endpointSelectorsSelectWhatTheApiServerSelects(String name, String selector) {
    KubernetesClient client = cluster.client();
    LabelSelector parsed = parse(selector);
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setEndpointSelector(parsed);
    client.resource(group("endpoints-" + name, spec)).create();

    int expected =
        client
            .resources(ManagedEndpoint.class)
            .inNamespace(NS)
            .withLabelSelector(parsed)
            .list()
            .getItems()
            .size();

    int all = client.resources(ManagedEndpoint.class).inNamespace(NS).list().getItems().size();
    assertThat(expected).as("the case selects something").isPositive();
    if (!name.equals("everything")) {
      assertThat(expected).as("the API server filtered").isLessThan(all);
    }
    awaitCount("endpoints-" + name, false, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeSelectors")
  void nodeSelectorsSelectWhatTheApiServerSelects(String name, String selector) {
    KubernetesClient client = cluster.client();
    // Scoped to this class's nodes, so nodes made by other test classes don't count.
    LabelSelector parsed = parse(selector);
    Map<String, String> matchLabels =
        new HashMap<>(parsed.getMatchLabels() == null ? Map.of() : parsed.getMatchLabels());
    matchLabels.put(KEY + "test", "true");
    parsed.setMatchLabels(matchLabels);
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setNodeSelector(parsed);
    client.resource(group("nodes-" + name, spec)).create();

    int expected = client.nodes().withLabelSelector(parsed).list().getItems().size();
    int all = client.nodes().withLabel(KEY + "test", "true").list().getItems().size();

    assertThat(expected).as("the case selects something").isPositive();
    if (!name.equals("everything")) {
      assertThat(expected).as("the API server filtered").isLessThan(all);
    }
    awaitCount("nodes-" + name, true, expected);
  }

  @Test
  void relabellingAnEndpointMovesItBetweenSetBasedGroups() {
    KubernetesClient client = cluster.client();
    String selector =
        "{matchExpressions: [{key: " + KEY + "ring, operator: In, values: [canary]}]}";
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setEndpointSelector(parse(selector));
    client.resource(group("canary-ring", spec)).create();
    endpoint("mover", Map.of(KEY + "ring", "broad"));
    awaitCount("canary-ring", false, 0);

    Edits.retryOnConflict(
        client.resources(ManagedEndpoint.class).inNamespace(NS).withName("mover"),
        e -> {
          e.getMetadata().getLabels().put(KEY + "ring", "canary");
          return e;
        });

    awaitCount("canary-ring", false, 1);
  }

  /** The group's member count becomes (and the informers make it eventually) the expected one. */
  private void awaitCount(String group, boolean nodes, int expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(count(group, nodes)).as(group).isEqualTo(expected));
  }

  private Integer count(String name, boolean nodes) {
    EndpointGroup group =
        cluster.client().resources(EndpointGroup.class).inNamespace(NS).withName(name).get();
    if (group == null || group.getStatus() == null) {
      return null;
    }
    return nodes ? group.getStatus().getNodes() : group.getStatus().getEndpoints();
  }

  private static EndpointGroup group(String name, EndpointGroupSpec spec) {
    EndpointGroup group = new EndpointGroup();
    group.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    group.setSpec(spec);
    return group;
  }

  private static LabelSelector parse(String yaml) {
    try {
      return YAML.readValue(yaml, LabelSelector.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void endpoint(String name, Map<String, String> labels) {
    ManagedEndpoint endpoint = new ManagedEndpoint();
    endpoint.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(NS).withLabels(labels).build());
    ManagedEndpointSpec spec = new ManagedEndpointSpec();
    spec.setMachineId("machine-" + name);
    endpoint.setSpec(spec);
    cluster.client().resource(endpoint).create();
  }

  private void node(String name, Map<String, String> labels) {
    cluster
        .client()
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .addToLabels(KEY + "test", "true")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
  }
}
