package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.PolicyCompliance;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.OperatorScenario;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PatchPolicy evaluation end to end: endpoints with inventories and nodes with nodeInfo become
 * targets through groups; the policy's status counts them per compliance state, each endpoint
 * carries the policy's entry, the catalogue comes from a ConfigMap. Each test uses its own
 * namespace, so the tests share one operator without seeing each other's objects.
 */
@Timeout(180)
public abstract class ComplianceScenarios extends OperatorScenario {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Override
  protected void prepare() {
    for (String ns :
        List.of(
            "states",
            "missing-group",
            "unreadable",
            "catalogue",
            "nodes",
            "two",
            "leave",
            "burst")) {
      cluster.createNamespace(ns);
    }
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private <T extends HasMetadata> T create(String ns, Class<T> kind, String yaml) {
    T object = Serialization.unmarshal(yaml, kind);
    object.getMetadata().setNamespace(ns);
    return client().resource(object).create();
  }

  private static String day(long daysAgo) {
    return LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo).toString();
  }

  private static final String LAPTOPS =
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
      metadata: {name: %s}
      spec:
        groups: %s
        approval:
          rules:
            - classifications: [Security]
        deadlines: {knownExploited: 2d, critical: 7d, high: 14d, medium: 30d, low: 90d}
      """;

  /** A ManagedEndpoint with the given labels and, unless null, an inventory seen just now. */
  private void endpoint(String ns, String name, Map<String, String> labels, List<Object> updates) {
    ManagedEndpoint e = new ManagedEndpoint();
    e.getMetadata().setName(name);
    e.getMetadata().setNamespace(ns);
    e.getMetadata().setLabels(labels);
    e.setSpec(new io.patchwarden.api.endpoint.ManagedEndpointSpec());
    e.getSpec().setMachineId("machine-" + name);
    client().resource(e).create();
    if (updates != null) {
      reportInventory(ns, name, updates);
    }
  }

  private void reportInventory(String ns, String name, List<Object> updates) {
    Map<String, Object> inventory = new LinkedHashMap<>();
    inventory.put("hostname", name);
    inventory.put("pendingUpdates", updates);
    String lastSeen = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var resource = client().resources(ManagedEndpoint.class).inNamespace(ns).withName(name);
    // A JSON patch, as the mock server merges lists in a JSON merge patch instead of replacing.
    List<Map<String, Object>> ops =
        resource.get().getStatus() == null
            ? List.of(add("/status", Map.of("lastSeen", lastSeen, "inventory", inventory)))
            : List.of(add("/status/lastSeen", lastSeen), add("/status/inventory", inventory));
    resource
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
  }

  private static Map<String, Object> add(String path, Object value) {
    return Map.of("op", "add", "path", path, "value", value);
  }

  private static Map<String, Object> security(
      String id, String severity, String released, String... cves) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("id", id);
    u.put("package", id.substring(0, id.indexOf('=')));
    u.put("classification", "Security");
    u.put("severity", severity);
    u.put("releaseDate", released);
    if (cves.length > 0) {
      u.put("cves", List.of(cves));
    }
    return u;
  }

  private PatchPolicy policy(String ns, String name) {
    return client().resources(PatchPolicy.class).inNamespace(ns).withName(name).get();
  }

  private PatchPolicyStatus awaitStatus(
      String ns, String name, java.util.function.Predicate<PatchPolicyStatus> until) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              PatchPolicy p = policy(ns, name);
              return p == null ? null : p.getStatus();
            },
            s -> s != null && until.test(s));
  }

  private Optional<PolicyCompliance> entry(String ns, String endpoint, String policy) {
    ManagedEndpoint e =
        client().resources(ManagedEndpoint.class).inNamespace(ns).withName(endpoint).get();
    if (e == null || e.getStatus() == null || e.getStatus().getCompliance() == null) {
      return Optional.empty();
    }
    return e.getStatus().getCompliance().stream()
        .filter(c -> policy.equals(c.getPolicy()))
        .findFirst();
  }

  private PolicyCompliance awaitEntry(
      String ns, String endpoint, String policy, ComplianceState state) {
    return await()
        .atMost(WAIT)
        .until(
            () -> entry(ns, endpoint, policy).orElse(null),
            c -> c != null && c.getState() == state);
  }

  private static Condition condition(PatchPolicyStatus status, String type) {
    return Conditions.of(status, type)
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }

  @Test
  void everyTargetGetsItsStateAndThePolicyCountsThem() throws Exception {
    String ns = "states";
    create(ns, EndpointGroup.class, LAPTOPS);
    Map<String, String> laptop = Map.of("role", "laptop");
    endpoint(ns, "clean", laptop, List.of());
    endpoint(ns, "behind", laptop, List.of(security("curl=8.5", "High", day(1))));
    endpoint(
        ns,
        "late",
        laptop,
        List.of(
            security("openssl=3.0.15", "Critical", day(30)), security("curl=8.5", "High", day(1))));
    endpoint(ns, "silent", laptop, null);
    endpoint(
        ns,
        "desktop",
        Map.of("role", "desktop"),
        List.of(security("openssl=3.0.15", "Critical", day(30))));
    create(ns, PatchPolicy.class, POLICY.formatted("laptops", "[laptops]"));

    PatchPolicyStatus status =
        awaitStatus(
            ns,
            "laptops",
            s ->
                s.getTargets() != null
                    && s.getTargets() == 4
                    && s.getStates().getStale() == 1
                    && s.getStates().getOverdue() == 1);
    assertThat(status.getStates().getCompliant()).isEqualTo(1);
    assertThat(status.getStates().getMissing()).isEqualTo(1);
    assertThat(status.getOverdueTargets()).isEqualTo(1);
    assertThat(status.getMissingUpdates().getCritical()).isEqualTo(1);
    assertThat(status.getMissingUpdates().getHigh()).isEqualTo(2);
    Instant released = LocalDate.parse(day(30)).atStartOfDay(ZoneOffset.UTC).toInstant();
    assertThat(status.getEarliestDueBy()).isEqualTo(released.plus(Duration.ofDays(7)).toString());
    Condition compliant = condition(status, "Compliant");
    assertThat(compliant.getStatus()).isEqualTo(ConditionStatus.FALSE);
    assertThat(compliant.getReason()).isEqualTo("TargetsNotCompliant");
    assertThat(compliant.getMessage())
        .isEqualTo("3 of 4 targets are not compliant: 1 Missing, 1 Overdue, 1 Stale.");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo(ConditionStatus.TRUE);
    assertThat(condition(status, "ApprovalRulesEffective").getStatus())
        .isEqualTo(ConditionStatus.TRUE);

    PolicyCompliance late = awaitEntry(ns, "late", "laptops", ComplianceState.Overdue);
    assertThat(late.getMissing().getCritical()).isEqualTo(1);
    assertThat(late.getDueBy()).isEqualTo(released.plus(Duration.ofDays(7)).toString());
    assertThat(late.getReason()).contains("openssl=3.0.15 (Critical)");
    assertThat(awaitEntry(ns, "behind", "laptops", ComplianceState.Missing).getMissing().getHigh())
        .isEqualTo(1);
    assertThat(awaitEntry(ns, "clean", "laptops", ComplianceState.Compliant).getMissing()).isNull();
    assertThat(awaitEntry(ns, "silent", "laptops", ComplianceState.Stale).getReason())
        .contains("not reported");
    assertThat(entry(ns, "desktop", "laptops")).as("not a target").isEmpty();

    // Installing the update (the next inventory no longer lists it) makes the endpoint compliant.
    reportInventory(ns, "behind", List.of());
    awaitEntry(ns, "behind", "laptops", ComplianceState.Compliant);
    awaitStatus(ns, "laptops", s -> s.getStates().getCompliant() == 2);

    String metrics = scrape();
    assertThat(metrics)
        .contains(
            "patchwarden_policy_targets{namespace=\"states\",policy=\"laptops\",state=\"Compliant\"} 2.0")
        .contains(
            "patchwarden_policy_overdue_targets{namespace=\"states\",policy=\"laptops\",severity=\"critical\"} 1.0")
        .contains(
            "patchwarden_policy_missing_updates{namespace=\"states\",policy=\"laptops\",severity=\"critical\"} 1.0")
        .contains(
            "patchwarden_policy_oldest_missing_update_age_seconds{namespace=\"states\",policy=\"laptops\",severity=\"critical\"}");
  }

  @Test
  void aMissingGroupIsNamedAndTheOtherGroupsAreStillEvaluated() {
    String ns = "missing-group";
    create(ns, EndpointGroup.class, LAPTOPS);
    endpoint(ns, "pc", Map.of("role", "laptop"), List.of(security("curl=8.5", "High", day(1))));
    create(ns, PatchPolicy.class, POLICY.formatted("p", "[laptops, ghosts]"));

    PatchPolicyStatus status =
        awaitStatus(ns, "p", s -> s.getTargets() != null && s.getTargets() == 1);
    Condition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.FALSE);
    assertThat(ready.getReason()).isEqualTo("GroupNotFound");
    assertThat(ready.getMessage()).contains("spec.groups[1]").contains("'ghosts'");
    assertThat(status.getStates().getMissing()).isEqualTo(1);
    awaitEntry(ns, "pc", "p", ComplianceState.Missing);
  }

  @Test
  void anUnreadableInventoryFailsThatTargetOnly() {
    String ns = "unreadable";
    create(ns, EndpointGroup.class, LAPTOPS);
    Map<String, String> laptop = Map.of("role", "laptop");
    // February 30th passes the schema's pattern but is no date.
    endpoint(ns, "odd", laptop, List.of(security("curl=8.5", "High", "2026-02-30")));
    endpoint(ns, "fine", laptop, List.of(security("curl=8.5", "High", day(1))));
    create(ns, PatchPolicy.class, POLICY.formatted("p", "[laptops]"));

    PolicyCompliance odd = awaitEntry(ns, "odd", "p", ComplianceState.Failed);
    assertThat(odd.getReason())
        .startsWith("inventory cannot be read: status.inventory.pendingUpdates[0].releaseDate: ")
        .contains("2026-02-30");
    awaitEntry(ns, "fine", "p", ComplianceState.Missing);
    PatchPolicyStatus status =
        awaitStatus(ns, "p", s -> s.getTargets() != null && s.getTargets() == 2);
    assertThat(status.getStates().getFailed()).isEqualTo(1);
  }

  @Test
  void theKnownExploitedCatalogueComesFromALabelledConfigMap() throws IOException {
    String ns = "catalogue";
    create(ns, EndpointGroup.class, LAPTOPS);
    // Fixes CVE-2024-1086, in the fixture catalogue with a due date long past.
    endpoint(
        ns,
        "pc",
        Map.of("role", "laptop"),
        List.of(security("linux-libc-dev=6.1.99", "Low", day(0), "CVE-2024-1086")));
    PatchPolicy policy =
        Serialization.unmarshal(POLICY.formatted("p", "[laptops]"), PatchPolicy.class);
    policy.getMetadata().setNamespace(ns);
    var ref = new io.patchwarden.api.policy.KnownExploitedCatalogRef();
    ref.setConfigMap("kev");
    policy.getSpec().setKnownExploitedCatalog(ref);
    client().resource(policy).create();

    PatchPolicyStatus missing =
        awaitStatus(
            ns,
            "p",
            s ->
                Conditions.of(s, "KnownExploitedCatalogValid").isPresent()
                    && s.getTargets() != null);
    Condition notFound = condition(missing, "KnownExploitedCatalogValid");
    assertThat(notFound.getStatus()).isEqualTo(ConditionStatus.FALSE);
    assertThat(notFound.getReason()).isEqualTo("ConfigMapNotFound");
    assertThat(notFound.getMessage())
        .contains("'kev'")
        .contains("patchwarden.io/known-exploited-catalog=true");
    assertThat(missing.getStates().getMissing()).as("evaluated without the catalogue").isEqualTo(1);

    client().resource(catalogue(ns, fixture())).create();
    PatchPolicyStatus loaded =
        awaitStatus(
            ns,
            "p",
            s ->
                "CatalogLoaded"
                    .equals(
                        Conditions.of(s, "KnownExploitedCatalogValid")
                            .map(Condition::getReason)
                            .orElse(null)));
    assertThat(condition(loaded, "KnownExploitedCatalogValid").getStatus())
        .isEqualTo(ConditionStatus.TRUE);
    PatchPolicyStatus overdue = awaitStatus(ns, "p", s -> s.getOverdueTargets() == 1);
    assertThat(overdue.getMissingUpdates().getKnownExploited()).isEqualTo(1);
    assertThat(awaitEntry(ns, "pc", "p", ComplianceState.Overdue).getReason())
        .contains("known-exploited");

    Edits.retryOnConflict(
        client().configMaps().inNamespace(ns).withName("kev"),
        cm -> {
          cm.getData()
              .put(
                  "known_exploited_vulnerabilities.json",
                  "{\"vulnerabilities\": [{\"cveID\": \"nope\"}]}");
          return cm;
        });
    PatchPolicyStatus broken =
        awaitStatus(
            ns,
            "p",
            s ->
                "MalformedCatalog"
                    .equals(
                        Conditions.of(s, "KnownExploitedCatalogValid")
                            .map(Condition::getReason)
                            .orElse(null)));
    assertThat(condition(broken, "KnownExploitedCatalogValid").getMessage())
        .contains("vulnerabilities[0].cveID");
    assertThat(awaitStatus(ns, "p", s -> s.getOverdueTargets() == 0).getStates().getMissing())
        .as("evaluation goes on without it")
        .isEqualTo(1);
  }

  private static String fixture() throws IOException {
    try (InputStream in =
        ComplianceScenarios.class.getResourceAsStream(
            "/kev/known_exploited_vulnerabilities.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ConfigMap catalogue(String ns, String json) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("kev")
        .withNamespace(ns)
        .addToLabels("patchwarden.io/known-exploited-catalog", "true")
        .endMetadata()
        .addToData("known_exploited_vulnerabilities.json", json)
        .build();
  }

  @Test
  void nodesAreComparedWithTheNodeTargetByDebianVersionOrder() {
    String ns = "nodes";
    node("compliance-node-new", "6.1.0-28-amd64");
    node("compliance-node-old", "6.1.0-9-amd64");
    create(
        ns,
        EndpointGroup.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: workers}
        spec:
          nodeSelector: {matchLabels: {compliance-test: "true"}}
        """);
    create(
        ns,
        PatchPolicy.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: kernels}
        spec:
          groups: [workers]
          approval: {rules: [{}]}
          nodes:
            target: {kernelVersion: 6.1.0-10-amd64}
        """);
    // Digit runs compare as numbers: 6.1.0-9 < 6.1.0-10 < 6.1.0-28, though "9" > "28" as text.
    PatchPolicyStatus status =
        awaitStatus(ns, "kernels", s -> s.getTargets() != null && s.getTargets() == 2);
    assertThat(status.getStates().getCompliant()).isEqualTo(1);
    assertThat(status.getStates().getMissing()).isEqualTo(1);
  }

  private void node(String name, String kernel) {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("compliance-test", "true")
            .endMetadata()
            .withNewStatus()
            .withNewNodeInfo()
            .withKernelVersion(kernel)
            .withOsImage("Debian GNU/Linux 12 (bookworm)")
            .withKubeletVersion("v1.30.4")
            .withArchitecture("amd64")
            .withBootID("b")
            .withContainerRuntimeVersion("containerd://1.7")
            .withKubeProxyVersion("v1.30.4")
            .withMachineID("m")
            .withOperatingSystem("linux")
            .withSystemUUID("s")
            .endNodeInfo()
            .endStatus()
            .build();
    Node created = client().nodes().resource(node).createOr(existing -> existing.update());
    // A real API server drops status on create; write it through the status subresource.
    created.setStatus(node.getStatus());
    client().nodes().resource(created).updateStatus();
  }

  @Test
  void aTargetOfTwoPoliciesCarriesOneEntryPerPolicy() {
    String ns = "two";
    create(ns, EndpointGroup.class, LAPTOPS);
    endpoint(
        ns,
        "pc",
        Map.of("role", "laptop"),
        List.of(security("openssl=3.0.15", "Critical", day(10))));
    create(ns, PatchPolicy.class, POLICY.formatted("strict", "[laptops]"));
    create(
        ns,
        PatchPolicy.class,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: lenient}
        spec:
          groups: [laptops]
          approval: {rules: [{classifications: [Security]}]}
          deadlines: {critical: 30d}
        """);
    PolicyCompliance strict = awaitEntry(ns, "pc", "strict", ComplianceState.Overdue);
    PolicyCompliance lenient = awaitEntry(ns, "pc", "lenient", ComplianceState.Missing);
    assertThat(Instant.parse(strict.getDueBy())).isBefore(Instant.parse(lenient.getDueBy()));

    // Deleting one policy removes its entry and leaves the other's.
    client().resources(PatchPolicy.class).inNamespace(ns).withName("strict").delete();
    await().atMost(WAIT).until(() -> entry(ns, "pc", "strict").isEmpty());
    assertThat(entry(ns, "pc", "lenient"))
        .hasValueSatisfying(c -> assertThat(c.getState()).isEqualTo(ComplianceState.Missing));
    await().atMost(WAIT).until(() -> policy(ns, "strict") == null);
  }

  @Test
  void anEndpointLeavingTheGroupLosesThePolicysEntry() {
    String ns = "leave";
    create(ns, EndpointGroup.class, LAPTOPS);
    endpoint(ns, "pc", Map.of("role", "laptop"), List.of());
    create(ns, PatchPolicy.class, POLICY.formatted("p", "[laptops]"));
    awaitEntry(ns, "pc", "p", ComplianceState.Compliant);

    Edits.retryOnConflict(
        client().resources(ManagedEndpoint.class).inNamespace(ns).withName("pc"),
        e -> {
          e.getMetadata().setLabels(Map.of("role", "retired"));
          return e;
        });
    await().atMost(WAIT).until(() -> entry(ns, "pc", "p").isEmpty());
    assertThat(
            awaitStatus(ns, "p", s -> s.getTargets() != null && s.getTargets() == 0)
                .getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("NoTargets"));
  }

  /**
   * A burst of inventory changes is evaluated in a few passes, not one per change, and two policies
   * writing their entries to the same endpoints at once lose neither's. Real API server only: the
   * mock server loses concurrent writes to one object.
   */
  @Test
  void aBurstOfInventoryChangesCausesAFewPassesAndNoEntryIsLost() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        cluster.realApiServer(), "needs a real API server");
    String ns = "burst";
    int endpoints = 100;
    int rounds = 10;
    create(ns, EndpointGroup.class, LAPTOPS);
    for (int i = 0; i < endpoints; i++) {
      endpoint(ns, "pc-" + i, Map.of("role", "laptop"), List.of());
    }
    create(ns, PatchPolicy.class, POLICY.formatted("a", "[laptops]"));
    create(ns, PatchPolicy.class, POLICY.formatted("b", "[laptops]"));
    for (String p : List.of("a", "b")) {
      awaitStatus(ns, p, s -> s.getStates() != null && s.getStates().getCompliant() == endpoints);
    }
    double before = evaluations(ns, "a");

    // 1,000 inventory changes, as fast as the API server takes them.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String version = String.valueOf(round);
        for (int i = 0; i < endpoints; i++) {
          String name = "pc-" + i;
          writes.add(
              pool.submit(
                  () ->
                      reportInventory(
                          ns, name, List.of(security("curl=" + version, "High", day(1))))));
        }
      }
      for (var w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }

    for (String p : List.of("a", "b")) {
      awaitStatus(ns, p, s -> s.getStates().getMissing() == endpoints);
    }
    for (int i = 0; i < endpoints; i++) {
      String name = "pc-" + i;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  entry(ns, name, "a").map(PolicyCompliance::getState).orElse(null)
                          == ComplianceState.Missing
                      && entry(ns, name, "b").map(PolicyCompliance::getState).orElse(null)
                          == ComplianceState.Missing);
    }
    double passes = evaluations(ns, "a") - before;
    System.out.printf(
        "%d inventory changes caused %.0f evaluation passes%n", endpoints * rounds, passes);
    assertThat(passes).as("passes for %d changes", endpoints * rounds).isBetween(1.0, 25.0);
  }

  private double evaluations(String ns, String policy) throws Exception {
    String series =
        "patchwarden_policy_evaluations_total{namespace=\"" + ns + "\",policy=\"" + policy + "\"} ";
    return scrape()
        .lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
        .findFirst()
        .orElse(0);
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
