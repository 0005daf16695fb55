package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.operator.gateway.Credentials;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.OperatorScenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent gateway over HTTP against a cluster: enrollment from a labelled namespace's token
 * Secret, check-ins that write the inventory once, and the error answers that write nothing.
 */
@Timeout(180)
public abstract class GatewayScenarios extends OperatorScenario {
  protected static final String NS = "gateway-office";
  private static final String OTHER_NS = "gateway-not-a-source";
  private static final String TOKEN = "office-enrollment-token-0123456789";
  private static final String OTHER_TOKEN = "other-namespace-token-0123456789";
  protected static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  protected void prepare() {
    Enrollment.source(cluster.client(), NS);
    cluster.createNamespace(OTHER_NS);
    Enrollment.token(cluster.client(), NS, "laptops", TOKEN, "role=laptop");
    Enrollment.token(cluster.client(), OTHER_NS, "stray", OTHER_TOKEN, "role=laptop");
  }

  protected HttpResponse<String> post(String path, String body, String credential)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.gatewayPort() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enrollBody(String token, String machineId) {
    return """
        {"token": "%s", "machineId": "%s", "hostname": "laptop-%s", "osFamily": "Debian",
         "osName": "Debian", "osVersion": "12", "timeZone": "Europe/Berlin",
         "labels": {"site": "site-%s"}}
        """
        .formatted(token, machineId, machineId.substring(0, 6), machineId.substring(0, 6));
  }

  protected static final String INVENTORY =
      """
      {"inventory": {"hostname": "laptop", "osFamily": "Debian", "osName": "Debian",
        "osVersion": "12", "kernelVersion": "6.1.0-28-amd64", "rebootRequired": false,
        "pendingUpdates": [{"id": "openssl=3.0.15-1~deb12u1", "package": "openssl",
          "classification": "Security", "severity": "High", "cves": ["CVE-2024-5535"]}]}}
      """;

  /** The gateway's informers may lag the test's writes by a moment. */
  protected JsonNode enroll(String machineId) throws Exception {
    HttpResponse<String> response =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> post("/agent/v1/enroll", enrollBody(TOKEN, machineId), null),
                r -> r.statusCode() != 401);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void anAgentEnrollsChecksInAndAnUnchangedCheckinWritesNothing() throws Exception {
    assumeTrue(cluster.realApiServer(), "several writers of one status: real API server only");
    JsonNode enrolled = enroll("0f1e2d3c4b5a69788796");
    String credential = enrolled.get("credential").asText();
    String name = enrolled.get("name").asText();
    assertThat(enrolled.get("namespace").asText()).isEqualTo(NS);

    ManagedEndpoint endpoint = endpoint(name);
    assertThat(endpoint.getMetadata().getLabels()).containsEntry("role", "laptop");
    assertThat(endpoint.getStatus().getCredential())
        .as(
            "credential hash in %s",
            io.fabric8.kubernetes.client.utils.Serialization.asJson(endpoint))
        .isNotNull();
    assertThat(endpoint.getStatus().getCredential().getSha256())
        .isEqualTo(Credentials.sha256(credential));

    HttpResponse<String> first = post("/agent/v1/checkin", INVENTORY, credential);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).get("nextCheckinSeconds").asInt()).isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> endpoint(name).getStatus().getInventory() != null);
    String version = endpoint(name).getMetadata().getResourceVersion();
    assertThat(endpoint(name).getStatus().getInventory().getPendingSecurityUpdateCount())
        .isEqualTo(1);

    assertThat(post("/agent/v1/checkin", INVENTORY, credential).statusCode()).isEqualTo(200);
    assertThat(endpoint(name).getMetadata().getResourceVersion())
        .as("an unchanged check-in does not write")
        .isEqualTo(version);
  }

  @Test
  void reEnrollingDoesNotCreateASecondEndpoint() throws Exception {
    String first = enroll("a1b2c3d4e5f60718293a").get("name").asText();
    String second = enroll("a1b2c3d4e5f60718293a").get("name").asText();

    assertThat(second).isEqualTo(first);
    assertThat(cluster.client().resources(ManagedEndpoint.class).inNamespace(NS).list().getItems())
        .filteredOn(e -> "a1b2c3d4e5f60718293a".equals(e.getSpec().getMachineId()))
        .hasSize(1);
  }

  @Test
  void badRequestsAreAnsweredAndWriteNothing() throws Exception {
    int before =
        cluster.client().resources(ManagedEndpoint.class).inNamespace(NS).list().getItems().size();

    HttpResponse<String> strayToken =
        post("/agent/v1/enroll", enrollBody(OTHER_TOKEN, "ffeeddccbbaa99887766"), null);
    assertThat(strayToken.statusCode())
        .as("a token outside an enrollment namespace is not a token")
        .isEqualTo(401);
    HttpResponse<String> malformed = post("/agent/v1/enroll", "{\"token\": 5", null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).get("error").asText()).isEqualTo("invalid_request");
    assertThat(post("/agent/v1/checkin", INVENTORY, "pw1.bm9wZQ.bm9wZQ").statusCode())
        .isEqualTo(401);
    assertThat(post("/agent/v1/checkin", "x".repeat(2 * 1024 * 1024), null).statusCode())
        .isEqualTo(413);
    assertThat(post("/agent/v1/nothing", "{}", null).statusCode()).isEqualTo(404);
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.gatewayPort() + "/agent/v1/checkin"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);

    assertThat(cluster.client().resources(ManagedEndpoint.class).inNamespace(NS).list().getItems())
        .hasSize(before);
    assertThat(
            cluster
                .client()
                .resources(ManagedEndpoint.class)
                .inNamespace(OTHER_NS)
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void requestsAreCountedByRouteAndCode() throws Exception {
    post("/agent/v1/checkin", INVENTORY, "pw1.bm9wZQ.bm9wZQ");
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("patchwarden_gateway_requests_total{code=\"401\",route=\"checkin\"}")
        .contains("patchwarden_gateway_request_duration_seconds_bucket");
  }

  @Test
  void checkedInEndpointsAreReadyCountedByTheirGroupAndExported() throws Exception {
    assumeTrue(cluster.realApiServer(), "several writers of one status: real API server only");
    String machine = "c0ffee0000aa11bb22cc";
    group("site-c0ffee", "7d");
    JsonNode enrolled = enroll(machine);
    String name = enrolled.get("name").asText();
    assertThat(
            post("/agent/v1/checkin", INVENTORY, enrolled.get("credential").asText()).statusCode())
        .isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var group =
                  cluster
                      .client()
                      .resources(EndpointGroup.class)
                      .inNamespace(NS)
                      .withName("site-c0ffee")
                      .get()
                      .getStatus();
              assertThat(group.getEndpoints()).isEqualTo(1);
              assertThat(group.getStale()).isZero();
              assertThat(group.getOsFamilies())
                  .singleElement()
                  .satisfies(f -> assertThat(f.getCount()).isEqualTo(1));
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = endpoint(name).getStatus();
              assertThat(Conditions.ready(status).getStatus()).isEqualTo(ConditionStatus.TRUE);
              assertThat(Conditions.of(status, "Stale"))
                  .hasValueSatisfying(
                      c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.FALSE));
              assertThat(status.getInventory())
                  .as("the operator left the gateway's fields")
                  .isNotNull();
            });
    assertThat(scrape())
        .contains(
            "patchwarden_endpoints{group=\"site-c0ffee\",namespace=\""
                + NS
                + "\",os_family=\"Debian\"} 1.0")
        .contains(
            "patchwarden_endpoints_stale{group=\"site-c0ffee\",namespace=\"" + NS + "\"} 0.0");
  }

  protected void group(String site, String staleAfter) {
    EndpointGroup group = new EndpointGroup();
    group.setMetadata(new ObjectMetaBuilder().withName(site).withNamespace(NS).build());
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setEndpointSelector(new LabelSelectorBuilder().addToMatchLabels("site", site).build());
    spec.setStaleAfter(staleAfter);
    group.setSpec(spec);
    cluster.client().resource(group).create();
  }

  protected String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  protected ManagedEndpoint endpoint(String name) {
    return cluster.client().resources(ManagedEndpoint.class).inNamespace(NS).withName(name).get();
  }
}
