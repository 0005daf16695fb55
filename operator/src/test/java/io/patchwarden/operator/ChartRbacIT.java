package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.operator.testing.Endpoints;
import io.patchwarden.operator.testing.NodeSimulator;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The chart's RBAC on a real API server: the ServiceAccounts, ClusterRole, Role and bindings of
 * {@code deploy/patchwarden.yaml} (the chart rendered with its defaults) are installed, and the
 * operator runs with the chart's ServiceAccount token — not as an admin — with the Deployment's
 * environment. It evaluates, rolls out, patches a node (cordon, eviction, Job, reboot, uncordon)
 * and serves the report: the RBAC is sufficient. Actions it must never take are refused: it is
 * least.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class ChartRbacIT {
  private static final String SYSTEM = "patchwarden-system";
  private static final String NS = "rbac-it";
  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  private RealApiServerCluster cluster;
  private KubernetesClient operatorClient;
  private PatchwardenOperator operator;
  private NodeSimulator nodes;
  private String token;

  @BeforeAll
  void start() throws Exception {
    cluster = new RealApiServerCluster();
    cluster.installCrds();
    cluster.createNamespace(SYSTEM);
    cluster.createNamespace(NS);
    String manifest = Files.readString(Path.of("..", "deploy", "patchwarden.yaml"));
    Deployment deployment = null;
    for (HasMetadata object : objects(manifest)) {
      if (RBAC_KINDS.contains(object.getKind())) {
        admin().resource(object).createOr(existing -> existing.update());
      } else if (object instanceof Deployment d) {
        deployment = d;
      }
    }
    assertThat(deployment).as("the Deployment in deploy/patchwarden.yaml").isNotNull();
    token =
        admin()
            .serviceAccounts()
            .inNamespace(SYSTEM)
            .withName(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(admin().getConfiguration().getMasterUrl())
            .withOauthToken(token)
            .withTrustCerts(true)
            .build();
    operatorClient = new KubernetesClientBuilder().withConfig(config).build();
    nodes =
        NodeSimulator.start(
            admin(),
            SYSTEM,
            // Two nodes, one patched: the workload's pods have somewhere to go when evicted.
            NodeSimulator.Settings.builder()
                .nodes(2)
                .namePrefix("rbac")
                .label("sim", "rbac")
                .nodeLabel("rbac-01", "pool", "rbac")
                .build());
    nodes.workload(NS, "web", 2, 1);
    operator =
        PatchwardenOperator.start(
            operatorClient,
            OperatorSettings.fromEnvironment(environment(deployment))
                .withManagementPort(0)
                .withGateway(
                    io.patchwarden.operator.gateway.GatewaySettings.defaults().withPort(0)),
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (nodes != null) {
      nodes.close();
      nodes.deleteNodes();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private KubernetesClient admin() {
    return cluster.client();
  }

  @Test
  void theChartsServiceAccountIsEnoughToEvaluateRollOutPatchNodesAndReport() throws Exception {
    create(GROUPS);
    create(ENDPOINT_POLICY);
    create(NODE_POLICY);
    Endpoints.withInventory(
        admin(),
        NS,
        "pc-1",
        Map.of("role", "laptop"),
        List.of(Endpoints.security("curl=8.5", "High", 2)));

    // Endpoints: compliance written, a run started, an assignment written.
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              ManagedEndpoint e =
                  admin().resources(ManagedEndpoint.class).inNamespace(NS).withName("pc-1").get();
              assertThat(e.getStatus().getCompliance()).isNotEmpty();
              assertThat(e.getSpec().getAssignment()).isNotNull();
            });
    assertThat(admin().resources(PatchRun.class).inNamespace(NS).list().getItems()).isNotEmpty();
    await().atMost(Duration.ofMinutes(1)).until(() -> policyReady("laptops"));

    // Nodes: cordoned, drained through evictions, patched by a Job, rebooted, uncordoned.
    await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              Node n = admin().nodes().withName("rbac-01").get();
              return "Done".equals(n.getMetadata().getAnnotations().get(NodeAnnotations.STATE));
            });
    assertThat(nodes.patchJobs("rbac-01")).isEqualTo(1);
    assertThat(nodes.reboots("rbac-01")).isEqualTo(1);
    assertThat(admin().nodes().withName("rbac-01").get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(nodes.minReady(NS, "web")).isGreaterThanOrEqualTo(1);

    // Report: TokenReview and SubjectAccessReview with the operator's own identity.
    HttpResponse<String> report =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + operator.managementPort()
                                + "/report?format=json&namespace="
                                + NS))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    JsonNode json = new ObjectMapper().readTree(report.body());
    assertThat(json.get("namespaces").get(0).get("policies")).hasSize(2);
  }

  /**
   * The forbidden list of docs/security.md ("compromised gateway replica"): every action is tried
   * with the chart's ServiceAccount token on the real API server and must be refused with 403. Each
   * is something a stolen operator token could use to escalate: read or write Secrets other than by
   * the label-selected list, run code in pods or on nodes, change RBAC, impersonate, mint tokens,
   * change admission or the CRDs, delete what it only reads.
   */
  @Test
  void whatTheOperatorMustNeverDoIsRefused() throws Exception {
    admin()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("database-password")
                .endMetadata()
                .addToStringData("password", "hunter2")
                .build())
        .createOr(existing -> existing.update());
    admin()
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("tenant-app")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    admin()
        .leases()
        .inNamespace(SYSTEM)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("someone-else")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("other")
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
    String pod =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> admin().pods().inNamespace(NS).list().getItems(), l -> !l.isEmpty())
            .get(0)
            .getMetadata()
            .getName();
    String api = admin().getConfiguration().getMasterUrl().replaceAll("/$", "");
    String ownClusterRole = "patchwarden-operator";
    assertThat(admin().rbac().clusterRoles().withName(ownClusterRole).get())
        .as("the chart's ClusterRole is named %s", ownClusterRole)
        .isNotNull();

    Subject itself = new Subject(null, "ServiceAccount", "patchwarden-operator", SYSTEM);
    Map<String, Runnable> forbidden = new LinkedHashMap<>();
    // Secrets: listed (label-selected) for enrollment tokens only, never read one by one or
    // written.
    forbidden.put(
        "get an unlabelled Secret",
        () -> operatorClient.secrets().inNamespace(NS).withName("database-password").get());
    forbidden.put(
        "create a Secret",
        () ->
            operatorClient
                .secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder().withNewMetadata().withName("x").endMetadata().build())
                .create());
    forbidden.put(
        "delete a Secret",
        () -> operatorClient.secrets().inNamespace(NS).withName("database-password").delete());
    // Namespaces.
    forbidden.put("delete a namespace", () -> operatorClient.namespaces().withName(NS).delete());
    forbidden.put(
        "create a namespace",
        () ->
            operatorClient
                .namespaces()
                .resource(
                    new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("rogue-ns")
                        .endMetadata()
                        .build())
                .create());
    // RBAC: no new roles or bindings, no widening of its own ClusterRole.
    forbidden.put(
        "create a ClusterRole",
        () ->
            operatorClient
                .rbac()
                .clusterRoles()
                .resource(
                    new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName("escalate")
                        .endMetadata()
                        .build())
                .create());
    forbidden.put(
        "bind cluster-admin to itself",
        () ->
            operatorClient
                .rbac()
                .clusterRoleBindings()
                .resource(
                    new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName("escalate")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                        .withSubjects(itself)
                        .build())
                .create());
    forbidden.put(
        "create a Role",
        () ->
            operatorClient
                .rbac()
                .roles()
                .inNamespace(SYSTEM)
                .resource(
                    new RoleBuilder().withNewMetadata().withName("escalate").endMetadata().build())
                .create());
    forbidden.put(
        "create a RoleBinding",
        () ->
            operatorClient
                .rbac()
                .roleBindings()
                .inNamespace(NS)
                .resource(
                    new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("escalate")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "admin")
                        .withSubjects(itself)
                        .build())
                .create());
    forbidden.put(
        "widen its own ClusterRole",
        () -> {
          var role = admin().rbac().clusterRoles().withName(ownClusterRole).get();
          role.getRules()
              .add(
                  new PolicyRuleBuilder()
                      .withApiGroups("*")
                      .withResources("*")
                      .withVerbs("*")
                      .build());
          operatorClient.resource(role).update();
        });
    // Code execution: no pods of its own, no exec/attach/port-forward, no kubelet proxy.
    forbidden.put(
        "create a pod", () -> operatorClient.pods().inNamespace(NS).resource(rogue()).create());
    forbidden.put(
        "create a pod in its own namespace",
        () -> operatorClient.pods().inNamespace(SYSTEM).resource(rogue()).create());
    forbidden.put(
        "pods/exec",
        raw(
            "POST",
            api + "/api/v1/namespaces/" + NS + "/pods/" + pod + "/exec?command=sh&stdout=true"));
    forbidden.put(
        "pods/attach",
        raw("POST", api + "/api/v1/namespaces/" + NS + "/pods/" + pod + "/attach?stdout=true"));
    forbidden.put(
        "pods/portforward",
        raw("POST", api + "/api/v1/namespaces/" + NS + "/pods/" + pod + "/portforward?ports=80"));
    forbidden.put("nodes/proxy", raw("GET", api + "/api/v1/nodes/rbac-01/proxy/pods"));
    // Jobs only in its own namespace, and never deleted or changed once created.
    forbidden.put(
        "list Jobs elsewhere", () -> operatorClient.batch().v1().jobs().inNamespace(NS).list());
    forbidden.put(
        "create a Job elsewhere",
        () ->
            operatorClient
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .resource(
                    new JobBuilder()
                        .withNewMetadata()
                        .withName("rogue")
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create());
    forbidden.put(
        "delete Jobs in its own namespace",
        () -> operatorClient.batch().v1().jobs().inNamespace(SYSTEM).delete());
    // Identity: no tokens for other ServiceAccounts, no impersonation.
    forbidden.put(
        "mint a token for another ServiceAccount",
        () ->
            operatorClient
                .serviceAccounts()
                .inNamespace(NS)
                .withName("tenant-app")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().endSpec().build()));
    forbidden.put(
        "impersonate another user",
        () -> {
          try (KubernetesClient impersonating =
              new KubernetesClientBuilder()
                  .withConfig(
                      new ConfigBuilder(operatorClient.getConfiguration())
                          .withImpersonateUsername("system:admin")
                          .withImpersonateGroups("system:masters")
                          .build())
                  .build()) {
            impersonating.namespaces().list();
          }
        });
    // Admission and API: no webhooks, no CRD changes.
    forbidden.put(
        "create a mutating webhook",
        () ->
            operatorClient
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(
                    new MutatingWebhookConfigurationBuilder()
                        .withNewMetadata()
                        .withName("rogue")
                        .endMetadata()
                        .build())
                .create());
    forbidden.put(
        "delete a CRD",
        () ->
            operatorClient
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("patchpolicies.patchwarden.io")
                .delete());
    // What it only reads or only patches.
    forbidden.put(
        "delete a PatchPolicy",
        () ->
            operatorClient.resources(PatchPolicy.class).inNamespace(NS).withName("nodes").delete());
    forbidden.put(
        "delete a ManagedEndpoint",
        () -> operatorClient.resources(ManagedEndpoint.class).inNamespace(NS).delete());
    forbidden.put(
        "write a ConfigMap",
        () ->
            operatorClient
                .configMaps()
                .inNamespace(NS)
                .resource(
                    new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build())
                .create());
    forbidden.put(
        "take over another Lease",
        () -> {
          var lease = admin().leases().inNamespace(SYSTEM).withName("someone-else").get();
          lease.getSpec().setHolderIdentity("operator-0");
          operatorClient.resource(lease).update();
        });
    forbidden.put("delete a node", () -> operatorClient.nodes().withName("rbac-01").delete());
    forbidden.put(
        "list Deployments", () -> operatorClient.apps().deployments().inNamespace(SYSTEM).list());

    for (Map.Entry<String, Runnable> action : forbidden.entrySet()) {
      assertThatThrownBy(action.getValue()::run)
          .as(action.getKey())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(
              e ->
                  assertThat(((KubernetesClientException) e).getCode())
                      .as("%s: %s", action.getKey(), e.getMessage())
                      .isEqualTo(403));
    }
    assertThat(forbidden).hasSizeGreaterThanOrEqualTo(25);
    assertThat(admin().secrets().inNamespace(NS).withName("database-password").get()).isNotNull();
    assertThat(admin().namespaces().withName(NS).get()).isNotNull();
    assertThat(admin().rbac().clusterRoleBindings().withName("escalate").get()).isNull();
  }

  private static io.fabric8.kubernetes.api.model.Pod rogue() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("rogue")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  /** A subresource call (exec, attach, proxy) as the operator, its HTTP status as the exception. */
  private Runnable raw(String method, String url) {
    return () -> {
      io.fabric8.kubernetes.client.http.HttpResponse<String> response;
      try {
        response =
            operatorClient
                .getHttpClient()
                .sendAsync(
                    method.equals("GET")
                        ? operatorClient.getHttpClient().newHttpRequestBuilder().uri(url).build()
                        : operatorClient
                            .getHttpClient()
                            .newHttpRequestBuilder()
                            .uri(url)
                            .post("application/json", "")
                            .build(),
                    String.class)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(method + " " + url, e);
      }
      throw new KubernetesClientException(response.body(), response.code(), null);
    };
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static List<HasMetadata> objects(String multiDocument) {
    Object parsed =
        Serialization.unmarshal(
            new ByteArrayInputStream(multiDocument.getBytes(StandardCharsets.UTF_8)));
    @SuppressWarnings("unchecked")
    List<HasMetadata> list =
        parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
    return list;
  }

  /** The Deployment's environment, with the downward-API values the kubelet would fill in. */
  private static Map<String, String> environment(Deployment deployment) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar v : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (v.getValue() != null) {
        env.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
        String field = v.getValueFrom().getFieldRef().getFieldPath();
        env.put(v.getName(), field.equals("metadata.namespace") ? SYSTEM : "operator-0");
      }
    }
    // Only this class's namespace: policies other classes left on the shared API server (the
    // cluster-nodes example selects every node) must not act here. Not an RBAC matter.
    env.put(OperatorSettings.WATCH_NAMESPACES, NS);
    // The chart's nodeJobs.policyNamespaces: this namespace's policies may patch nodes.
    env.put(OperatorSettings.NODE_POLICY_NAMESPACES, NS);
    return env;
  }

  private void create(String yaml) {
    for (HasMetadata object : objects(yaml)) {
      object.getMetadata().setNamespace(NS);
      admin().resource(object).create();
    }
  }

  private boolean policyReady(String name) {
    PatchPolicy p = admin().resources(PatchPolicy.class).inNamespace(NS).withName(name).get();
    return p.getStatus() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "Ready".equals(c.getType())
                        && c.getStatus() == io.patchwarden.api.common.ConditionStatus.TRUE);
  }

  private static final String GROUPS =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: laptops}
      spec:
        endpointSelector: {matchLabels: {role: laptop}}
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: nodes}
      spec:
        nodeSelector: {matchLabels: {pool: rbac}}
      """;

  private static final String ENDPOINT_POLICY =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: laptops}
      spec:
        mode: Enforce
        groups: [laptops]
        approval:
          rules:
            - classifications: [Security]
      """;

  private static final String NODE_POLICY =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: nodes}
      spec:
        mode: Enforce
        groups: [nodes]
        nodes:
          target: {kernelVersion: 6.1.0-28-amd64}
          patch:
            image: registry.example/node-patch@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
          drain: {timeout: 2m}
          readyTimeout: 2m
      """;
}
