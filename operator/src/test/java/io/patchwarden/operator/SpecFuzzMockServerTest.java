package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.common.Condition;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.support.Timestamps;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.OperatorScenario;
import io.patchwarden.operator.testing.ProtocolFuzz;
import io.patchwarden.operator.testing.SpecFuzz;
import io.patchwarden.operator.testing.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded sample of the fuzzed specs of every kind (see {@link SpecFuzz}; the property tests run
 * thousands through the pure core) pushed through the running operator on the mock server: every
 * object ends with the Ready condition its case expects, hand-written PatchRuns leave their policy
 * Ready, and no reconcile fails (JOSDK's failure counter stays 0). Then fuzzed agent bodies over
 * HTTP, with oversized ones: 400 or 413, never 5xx, and nothing written.
 */
@Timeout(180)
class SpecFuzzMockServerTest extends OperatorScenario {
  private static final String NS = "fuzz";
  private static final String GATEWAY_NS = "fuzz-gateway";
  private static final String TOKEN = "fuzz-gateway-token-0123456789abcdef";
  private static final long SEED = 20261207L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNREADABLE_GROUP = "fx-stale-after-unreadable";

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<SpecFuzz.Case> endpoints = new ArrayList<>();
  private final SpecFuzz.Tally rejected = new SpecFuzz.Tally();

  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }

  @Override
  protected void prepare() {
    cluster.createNamespace(NS);
    for (String group : SpecFuzz.GROUPS) {
      memberGroup(group, "7d");
    }
    // A group that reports its own problem; the policies naming it must not fail with it.
    memberGroup(UNREADABLE_GROUP, "99999999999999d");
    create(
        MaintenanceWindow.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: MaintenanceWindow
        metadata: {name: %s}
        spec:
          timeZone: UTC
          recurrence: {weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]}}
          start: "00:00"
          duration: 6h
        """
            .formatted(SpecFuzz.WINDOW));
    // Endpoints with the status an agent would have written, before the operator starts: on the
    // mock, the operator's first status write would race with this one and lose it.
    SpecFuzz fuzz = new SpecFuzz(new Random(SEED + 1));
    String lastSeen = Timestamps.format(Instant.now());
    while (endpoints.size() < 10) {
      SpecFuzz.Case c = fuzz.endpoint(lastSeen);
      if (!c.schemaViolations().isEmpty()) {
        rejected.add(c.kind());
        continue;
      }
      endpoints.add(c);
      ManagedEndpoint endpoint = SpecFuzz.resource(c, ManagedEndpoint.class, NS);
      var status = endpoint.getStatus();
      endpoint.setStatus(null);
      ManagedEndpoint created = client().resource(endpoint).create();
      if (status != null) {
        created.setStatus(status);
        client().resource(created).updateStatus();
      }
    }
    Enrollment.source(cluster.client(), GATEWAY_NS);
    Enrollment.token(cluster.client(), GATEWAY_NS, "fuzz", TOKEN, "role=fuzz");
  }

  /** An EndpointGroup of the endpoints labelled as fuzz members. */
  private void memberGroup(String name, String staleAfter) {
    create(
        EndpointGroup.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: %s}
        spec:
          endpointSelector: {matchLabels: {%s: %s}}
          staleAfter: %s
        """
            .formatted(name, SpecFuzz.MEMBER_KEY, SpecFuzz.MEMBER_VALUE, staleAfter));
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private <T extends HasMetadata> void create(Class<T> kind, String yaml) {
    T object = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, kind);
    object.getMetadata().setNamespace(NS);
    client().resource(object).create();
  }

  private record Kind<T extends HasMetadata>(
      Class<T> type, Function<T, io.patchwarden.api.common.ObjectStatus> status) {}

  private static final Map<String, Kind<?>> KINDS =
      Map.of(
          "maintenancewindows", new Kind<>(MaintenanceWindow.class, MaintenanceWindow::getStatus),
          "endpointgroups", new Kind<>(EndpointGroup.class, EndpointGroup::getStatus),
          "patchpolicies", new Kind<>(PatchPolicy.class, PatchPolicy::getStatus),
          "managedendpoints", new Kind<>(ManagedEndpoint.class, ManagedEndpoint::getStatus));

  @Test
  void aSampleOfFuzzedSpecsOfEveryKindEndsInItsExpectedCondition() throws Exception {
    SpecFuzz fuzz = new SpecFuzz(new Random(SEED));
    List<SpecFuzz.Case> cases = new ArrayList<>();
    while (cases.size() < 50) {
      int n = cases.size();
      SpecFuzz.Case c = n < 15 ? fuzz.window() : n < 30 ? fuzz.group() : fuzz.policy();
      if (c.schemaViolations().isEmpty()) {
        cases.add(c);
      } else {
        rejected.add(c.kind());
      }
    }
    // Hand-written PatchRuns, each claiming a policy of its own that is valid and Enforce.
    List<SpecFuzz.Case> runs = new ArrayList<>();
    for (int i = 0; runs.size() < 10; i++) {
      SpecFuzz.Case run = fuzz.run("runs-host-" + i);
      if (run.schemaViolations().isEmpty()) {
        runs.add(run);
      } else {
        rejected.add(run.kind());
      }
    }
    for (SpecFuzz.Case c : cases) {
      client().resource(resourceOf(c)).create();
    }
    cases.addAll(endpoints);
    for (SpecFuzz.Case run : runs) {
      client().resource(SpecFuzz.resource(run, PatchRun.class, NS)).create();
      String policy = run.spec().get("policy").asText();
      create(
          PatchPolicy.class,
          """
          apiVersion: patchwarden.io/v1alpha1
          kind: PatchPolicy
          metadata: {name: %s}
          spec:
            mode: Enforce
            groups: [%s]
            approval: {rules: [{classifications: [Security]}]}
          """
              .formatted(policy, SpecFuzz.GROUPS.get(0)));
    }

    create(
        PatchPolicy.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: names-an-unreadable-group}
        spec:
          groups: [%s, %s]
          approval: {rules: [{classifications: [Security]}]}
        """
            .formatted(SpecFuzz.GROUPS.get(0), UNREADABLE_GROUP));

    SpecFuzz.Tally outcomes = new SpecFuzz.Tally();
    Map<SpecFuzz.Case, String> verdicts = awaitVerdicts(cases);
    verdicts.forEach((c, outcome) -> outcomes.add(c.kind() + " " + c.mode() + " -> " + outcome));
    for (SpecFuzz.Case run : runs) {
      Condition ready = awaitPolicyReady(run.spec().get("policy").asText());
      assertThat(ready.getReason())
          .as("the policy of the hand-written %s", run)
          .isEqualTo("SpecValid");
      outcomes.add("patchruns " + run.mode() + " -> policy Ready/" + ready.getReason());
    }
    assertThat(awaitPolicyReady("names-an-unreadable-group").getReason())
        .as("a policy naming a group whose staleAfter cannot be read")
        .isEqualTo("SpecValid");
    System.out.println(
        "Fuzzed specs through the operator (mock server, "
            + (cases.size() + runs.size())
            + " objects; rejected by the CRD: "
            + rejected.total("")
            + "):");
    System.out.print(outcomes);
    assertThat(outcomes.total("patchruns soak-huge")).as("runs with a huge soak").isPositive();
    assertThat(failedReconciles()).as("failed reconciles by controller").isEmpty();
  }

  /** The policy's first Ready condition. */
  private Condition awaitPolicyReady(String name) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .until(
            () -> client().resources(PatchPolicy.class).inNamespace(NS).withName(name).get(),
            p -> p.getStatus() != null && Conditions.of(p.getStatus(), "Ready").isPresent())
        .getStatus()
        .condition("Ready")
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> Kind<T> kind(SpecFuzz.Case c) {
    return (Kind<T>) KINDS.get(c.kind());
  }

  private HasMetadata resourceOf(SpecFuzz.Case c) {
    return SpecFuzz.resource(c, kind(c).type(), NS);
  }

  /**
   * The verdict of every case once each object's Ready condition is current and as its case expects
   * (a reconcile may see an object before all it depends on); the first mismatch otherwise. One
   * LIST per kind and poll, not one wait per object.
   */
  private Map<SpecFuzz.Case, String> awaitVerdicts(List<SpecFuzz.Case> cases) {
    Map<SpecFuzz.Case, String> verdicts = new LinkedHashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Map<String, HasMetadata>> byKind = new TreeMap<>();
              for (var k : KINDS.entrySet()) {
                Map<String, HasMetadata> byName = new TreeMap<>();
                client()
                    .resources(k.getValue().type())
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .forEach(o -> byName.put(o.getMetadata().getName(), o));
                byKind.put(k.getKey(), byName);
              }
              verdicts.clear();
              for (SpecFuzz.Case c : cases) {
                verdicts.put(c, verdict(c, byKind.get(c.kind()).get(c.name())));
              }
            });
    return verdicts;
  }

  private <T extends HasMetadata> String verdict(SpecFuzz.Case c, HasMetadata object) {
    Kind<T> kind = kind(c);
    assertThat(object).as("%s on the server", c).isNotNull();
    var status = kind.status().apply(kind.type().cast(object));
    assertThat(status).as("status of %s", c).isNotNull();
    return SpecFuzz.verdict(c, status.getConditions(), object.getMetadata().getGeneration());
  }

  /**
   * Failures that are the API's, not the input's: policies sharing endpoints write their compliance
   * entries concurrently, and a 409 fails that pass, to be retried (ComplianceWriteException).
   */
  private static final List<String> TRANSIENT =
      List.of("exception=\"ComplianceWriteException\"", "exception=\"KubernetesClientException\"");

  /**
   * JOSDK's reconciliations.failed counters that are not zero, by their tags, except for transient
   * API failures: what is left was thrown by the reconciler itself (a bad spec it did not handle).
   */
  private Map<String, Double> failedReconciles() throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> failed = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("operator_sdk_reconciliations_failed")
          && TRANSIENT.stream().noneMatch(line::contains)) {
        int space = line.lastIndexOf(' ');
        double value = Double.parseDouble(line.substring(space + 1));
        if (value > 0) {
          failed.put(line.substring(0, space), value);
        }
      }
    }
    assertThat(metrics).as("JOSDK's reconcile metrics are exported").contains("operator_sdk_");
    return failed;
  }

  // ---------------------------------------------------------------- agent protocol over HTTP

  private HttpResponse<String> post(String route, byte[] body, String credential) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + operator.gatewayPort() + "/agent/v1/" + route))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Within the per-endpoint burst (10): beyond it the gateway answers 429 before reading the body,
   * which hides what this test looks at.
   */
  private static final int AUTHENTICATED_BODIES = 8;

  @Test
  void fuzzedAndOversizedAgentBodiesGet400Or413AndWriteNothing() throws Exception {
    ProtocolFuzz fuzz = new ProtocolFuzz(new Random(SEED), TOKEN);
    byte[] enroll = JSON.writeValueAsBytes(fuzz.valid(ProtocolFuzz.Route.enroll));
    HttpResponse<String> enrolled =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> post("enroll", enroll, null), r -> r.statusCode() != 401);
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    String credential = JSON.readTree(enrolled.body()).get("credential").asText();
    String name = JSON.readTree(enrolled.body()).get("name").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client()
                    .resources(ManagedEndpoint.class)
                    .inNamespace(GATEWAY_NS)
                    .withName(name)
                    .get(),
            e -> e.getStatus() != null && Conditions.of(e.getStatus(), "Ready").isPresent());
    Map<String, String> before = versions();

    SpecFuzz.Tally answers = new SpecFuzz.Tally();
    int enrolls = 0;
    int authenticated = 0;
    while (enrolls < 50 || authenticated < AUTHENTICATED_BODIES) {
      ProtocolFuzz.Body b = fuzz.next();
      boolean isEnroll = b.route() == ProtocolFuzz.Route.enroll;
      if (!b.invalid() || (isEnroll ? enrolls >= 50 : authenticated >= AUTHENTICATED_BODIES)) {
        continue; // a valid body may write; the unit property covers those
      }
      if (isEnroll) {
        enrolls++;
      } else {
        authenticated++;
      }
      HttpResponse<String> r = post(b.route().name(), b.bytes(), credential);
      answers.add(b.route() + " " + b.mode() + " -> " + r.statusCode());
      assertThat(r.statusCode()).as("answer to %s: %s", b, r.body()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body());
      assertThat(error.path("error").asText()).isEqualTo("invalid_request");
      assertThat(error.has("field")).as("field of %s", r.body()).isTrue();
    }
    int limit = 1024 * 1024;
    for (int size : new int[] {limit + 1, 3 * limit}) {
      for (ProtocolFuzz.Route route : ProtocolFuzz.Route.values()) {
        ObjectNode body = fuzz.valid(route);
        body.put("padding", "x".repeat(size));
        HttpResponse<String> r = post(route.name(), JSON.writeValueAsBytes(body), credential);
        answers.add(route + " oversized -> " + r.statusCode());
        assertThat(r.statusCode()).as("answer to %d bytes on %s", size, route).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("too_large");
      }
    }
    System.out.println("Fuzzed agent bodies over HTTP (" + answers.total("") + " requests):");
    System.out.print(answers);

    assertThat(versions()).as("ManagedEndpoints (name -> resourceVersion)").isEqualTo(before);
  }

  private Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    client()
        .resources(ManagedEndpoint.class)
        .inNamespace(GATEWAY_NS)
        .list()
        .getItems()
        .forEach(e -> v.put(e.getMetadata().getName(), e.getMetadata().getResourceVersion()));
    return v;
  }
}
