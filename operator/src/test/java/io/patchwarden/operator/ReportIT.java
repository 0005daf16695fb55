package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.Endpoints;
import io.patchwarden.operator.testing.HeadlessBrowser;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The compliance report on a real API server: access through TokenReview and RBAC (a ServiceAccount
 * token that may read one namespace), the three formats agreeing with each other, filters, and the
 * HTML rendered by a real headless browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ReportIT {
  private static final String A = "report-a";
  private static final Map<String, String> LAPTOP = Map.of("role", "laptop");
  private static final String B = "report-b";

  private RealApiServerCluster cluster;
  private PatchwardenOperator operator;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    cluster = new RealApiServerCluster();
    cluster.installCrds();
    for (String ns : List.of(A, B)) {
      cluster.createNamespace(ns);
      create(ns, GROUP);
      create(ns, POLICY);
      Endpoints.withInventory(client(), ns, "clean", LAPTOP, List.of());
      Endpoints.withInventory(
          client(), ns, "behind", LAPTOP, List.of(Endpoints.security("curl=8.5", "High", 1)));
      Endpoints.withInventory(
          client(),
          ns,
          "late",
          LAPTOP,
          List.of(
              Endpoints.security("openssl=3.0.15", "Critical", 30),
              Endpoints.security("zlib=1.3", "Low", 2)));
    }
    token = auditorToken(A);
    operator =
        PatchwardenOperator.start(
            client(),
            OperatorSettings.defaults()
                .withLeaderElection(false)
                .withManagementPort(0)
                .withGateway(GatewaySettings.defaults().withPort(0))
                .withWatchNamespaces(Set.of(A, B)),
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void withoutATokenTheReportIsRefused() throws Exception {
    HttpResponse<String> r = get("/report", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(get("/report", "not-a-token").statusCode()).isEqualTo(401);
  }

  @Test
  void badParametersGetA400NamingThem() throws Exception {
    HttpResponse<String> r = get("/report?format=pdf", token);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("format 'pdf'");
  }

  @Test
  void aTokenSeesOnlyTheNamespacesRbacLetsItRead() throws Exception {
    JsonNode report = json(get("/report?format=json", token));
    assertThat(report.get("namespaces"))
        .extracting(n -> n.get("namespace").asText())
        .containsExactly(A);
    assertThat(get("/report?namespace=" + B, token).statusCode()).isEqualTo(403);
  }

  @Test
  void formatsAgree() throws Exception {
    JsonNode whole = json(get("/report?format=json&namespace=" + A, token));
    assertThat(whole.get("complete").asBoolean()).isTrue();
    JsonNode ns = whole.get("namespaces").get(0);
    JsonNode policy = ns.get("policies").get(0);
    assertThat(policy.get("targets").asInt()).isEqualTo(3);
    assertThat(policy.get("states").get("compliant").asInt()).isEqualTo(1);
    assertThat(policy.get("states").get("missing").asInt()).isEqualTo(1);
    assertThat(policy.get("states").get("overdue").asInt()).isEqualTo(1);
    assertThat(policy.get("missingUpdates").get("critical").asInt()).isEqualTo(1);
    assertThat(policy.get("missingUpdates").get("high").asInt()).isEqualTo(1);
    assertThat(policy.get("missingUpdates").get("low").asInt()).isEqualTo(1);
    assertThat(ns.get("targets")).hasSize(3);

    HttpResponse<String> csv = get("/report?format=csv&namespace=" + A, token);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(csv.body()))
            .getRecords();
    // One row per missing update (late: 2, behind: 1), one for the target missing nothing.
    assertThat(rows).hasSize(4);
    assertThat(rows.stream().filter(r -> r.get("target").equals("late")).map(r -> r.get("package")))
        .containsExactlyInAnyOrder("openssl", "zlib");

    JsonNode overdue =
        json(get("/report?format=json&namespace=" + A + "&state=Overdue", token))
            .get("namespaces")
            .get(0)
            .get("targets");
    assertThat(overdue).extracting(t -> t.get("target").asText()).containsExactly("late");
  }

  /** The HTML page in a real headless browser: it renders and shows the JSON's totals. */
  @Test
  void htmlRendersInAHeadlessBrowserWithTheTotalsOfTheJson() throws Exception {
    JsonNode policy =
        json(get("/report?format=json&namespace=" + A, token))
            .get("namespaces")
            .get(0)
            .get("policies")
            .get(0);
    HttpResponse<String> html = get("/report?namespace=" + A, token);
    assertThat(html.statusCode()).isEqualTo(200);
    // The browser cannot send the token: it loads the page the operator served, from a file.
    Path dir = Files.createDirectories(Path.of("target", "report-it"));
    Path page = dir.resolve("report.html");
    Files.writeString(page, html.body());
    Path screenshot = dir.resolve("report.png");
    Files.deleteIfExists(screenshot);

    String dom = HeadlessBrowser.dumpDom(page);
    HeadlessBrowser.screenshot(page, screenshot);

    assertThat(dom).contains("Namespace " + A);
    assertThat(dom).contains("data-total=\"targets\">" + policy.get("targets").asInt() + "<");
    assertThat(dom).contains("data-total=\"compliant\">" + policy.get("compliant").asInt() + "<");
    assertThat(dom)
        .contains("data-total=\"Overdue\">" + policy.get("states").get("overdue").asInt() + "<");
    assertThat(Files.size(screenshot)).as("a PNG screenshot").isGreaterThan(5_000);
    byte[] magic = Files.readAllBytes(screenshot);
    assertThat(magic[1]).isEqualTo((byte) 'P');
    assertThat(magic[2]).isEqualTo((byte) 'N');
    assertThat(magic[3]).isEqualTo((byte) 'G');
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static final String GROUP =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: laptops}
      spec:
        endpointSelector: {matchLabels: {role: laptop}}
      """;

  private static final String POLICY =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: laptops}
      spec:
        groups: [laptops]
        approval:
          rules:
            - classifications: [Security]
        deadlines: {knownExploited: 2d, critical: 7d, high: 14d, medium: 30d, low: 90d}
      """;

  private KubernetesClient client() {
    return cluster.client();
  }

  private void create(String ns, String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    object.getMetadata().setNamespace(ns);
    client().resource(object).create();
  }

  /** A ServiceAccount that may get patchpolicies in one namespace, and a token for it. */
  private String auditorToken(String ns) {
    client()
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("auditor").endMetadata().build())
        .create();
    client()
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("report-reader")
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("patchwarden.io")
                        .withResources("patchpolicies")
                        .withVerbs("get")
                        .build())
                .build())
        .create();
    client()
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("auditor-reads-report")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("report-reader")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("auditor")
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();
    return client()
        .serviceAccounts()
        .inNamespace(ns)
        .withName("auditor")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.managementPort() + path));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }
}
