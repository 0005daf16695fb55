package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.operator.report.ReportAuth;
import io.patchwarden.operator.testing.HelmManifests;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart in helm/patchwarden, linted and rendered with helm-java (Helm's Go library; no
 * helm binary): the Deployment is Pod Security "restricted" and configured through variables the
 * operator reads, RBAC grants exactly what the code calls, optional features appear only when
 * enabled, the schema rejects typos, and values.yaml, values.schema.json and README.md agree.
 */
class HelmChartTest {
  private static final Path ROOT = Path.of("..");
  private static final Path CHART = HelmManifests.chart(ROOT);
  private static final Path CONFIGURATION_DOC = ROOT.resolve("docs/configuration.md");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Labels on every object the chart renders. */
  private static final List<String> COMMON_LABELS =
      List.of(
          "app.kubernetes.io/name",
          "app.kubernetes.io/instance",
          "app.kubernetes.io/version",
          "app.kubernetes.io/managed-by",
          "app.kubernetes.io/part-of");

  /** Every optional feature on (each needs something the defaults leave empty). */
  private static final String ALL_FEATURES =
      """
      watchNamespaces: [office, acme]
      imagePullSecrets: [regcred]
      gateway:
        tls:
          enabled: true
          certManager:
            enabled: true
            dnsNames: [patchwarden.example.com]
            issuerRef: {name: letsencrypt, kind: ClusterIssuer}
        ingress:
          enabled: true
          className: nginx
          host: patchwarden.example.com
          tlsSecretName: patchwarden-ingress-tls
          annotations: {nginx.ingress.kubernetes.io/backend-protocol: HTTPS}
      enrollment:
        namespaces: [office, acme]
      networkPolicy:
        enabled: true
        management:
          podLabels: {app.kubernetes.io/name: prometheus}
      serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
      prometheusRule: {enabled: true, labels: {release: kube-prometheus-stack}}
      grafanaDashboard: {enabled: true, namespace: monitoring}
      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
      """;

  /**
   * What the operator's code calls, cluster-wide, with the default values: {@code
   * group/resource:verb}. Changing the chart's RBAC means changing this list, on purpose.
   */
  private static final Set<String> CLUSTER_RULES =
      new TreeSet<>(
          List.of(
              "patchwarden.io/maintenancewindows:get",
              "patchwarden.io/maintenancewindows:list",
              "patchwarden.io/maintenancewindows:watch",
              "patchwarden.io/endpointgroups:get",
              "patchwarden.io/endpointgroups:list",
              "patchwarden.io/endpointgroups:watch",
              "patchwarden.io/patchpolicies:get",
              "patchwarden.io/patchpolicies:list",
              "patchwarden.io/patchpolicies:watch",
              "patchwarden.io/patchpolicies:patch",
              "patchwarden.io/patchpolicies:update",
              "patchwarden.io/managedendpoints:get",
              "patchwarden.io/managedendpoints:list",
              "patchwarden.io/managedendpoints:watch",
              "patchwarden.io/managedendpoints:create",
              "patchwarden.io/managedendpoints:patch",
              "patchwarden.io/patchruns:get",
              "patchwarden.io/patchruns:list",
              "patchwarden.io/patchruns:watch",
              "patchwarden.io/patchruns:create",
              "patchwarden.io/patchruns:delete",
              "patchwarden.io/patchruns:patch",
              "patchwarden.io/maintenancewindows/status:get",
              "patchwarden.io/maintenancewindows/status:patch",
              "patchwarden.io/maintenancewindows/status:update",
              "patchwarden.io/endpointgroups/status:get",
              "patchwarden.io/endpointgroups/status:patch",
              "patchwarden.io/endpointgroups/status:update",
              "patchwarden.io/patchpolicies/status:get",
              "patchwarden.io/patchpolicies/status:patch",
              "patchwarden.io/patchpolicies/status:update",
              "patchwarden.io/managedendpoints/status:get",
              "patchwarden.io/managedendpoints/status:patch",
              "patchwarden.io/managedendpoints/status:update",
              "patchwarden.io/patchruns/status:get",
              "patchwarden.io/patchruns/status:patch",
              "patchwarden.io/patchruns/status:update",
              "/nodes:get",
              "/nodes:list",
              "/nodes:watch",
              "/nodes:patch",
              "/pods:list",
              "/pods:delete",
              "/pods/eviction:create",
              "/configmaps:get",
              "/configmaps:list",
              "/configmaps:watch",
              "/events:create",
              "/namespaces:list",
              "/namespaces:watch",
              "/secrets:list",
              "/secrets:watch",
              "authentication.k8s.io/tokenreviews:create",
              "authorization.k8s.io/subjectaccessreviews:create"));

  /** What the operator calls in the release namespace: node Jobs and the leader Lease. */
  private static final Set<String> NAMESPACE_RULES =
      new TreeSet<>(
          List.of(
              "batch/jobs:get",
              "batch/jobs:list",
              "batch/jobs:watch",
              "batch/jobs:create",
              "coordination.k8s.io/leases:create",
              "coordination.k8s.io/leases:get[patchwarden-operator]",
              "coordination.k8s.io/leases:update[patchwarden-operator]",
              "coordination.k8s.io/leases:patch[patchwarden-operator]"));

  /** Kubernetes types passed through as they are; the API server validates them. */
  private static final Set<String> OPEN_SCHEMA_OBJECTS =
      Set.of("global", "affinity.nodeAffinity", "affinity.podAffinity", "affinity.podAntiAffinity");

  private static Rendered defaults;
  private static Rendered allFeatures;

  @TempDir static Path tmp;

  @BeforeAll
  static void render() throws IOException {
    defaults = Rendered.of(HelmManifests.template(CHART));
    allFeatures = Rendered.of(HelmManifests.template(CHART, values("all.yaml", ALL_FEATURES)));
  }

  // ---------------------------------------------------------------- chart

  @Test
  void lintFindsNothingWrong() {
    LintResult lint = new Helm(CHART.toAbsolutePath().normalize()).lint().call();
    assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages())
        .as("helm lint warnings and errors")
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void appVersionIsTheProjectVersion() throws IOException {
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    Matcher version =
        Pattern.compile("<artifactId>patchwarden-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("patchwarden");
    assertThat(chart.path("appVersion").asText())
        .as("Chart.yaml appVersion must be the project version of pom.xml")
        .isEqualTo(version.group(1));
  }

  @Test
  void defaultsRenderTheOperatorAndNothingOptional() {
    assertThat(defaults.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount/patchwarden-operator",
            "ServiceAccount/patchwarden-node-patch",
            "ClusterRole/patchwarden-operator",
            "ClusterRoleBinding/patchwarden-operator",
            "Role/patchwarden-operator",
            "RoleBinding/patchwarden-operator",
            "Service/patchwarden-management",
            "Service/patchwarden-gateway",
            "Deployment/patchwarden-operator",
            "PodDisruptionBudget/patchwarden-operator");
  }

  @Test
  void everyObjectCarriesTheCommonLabels() {
    for (Rendered rendered : List.of(defaults, allFeatures)) {
      for (JsonNode object : rendered.objects()) {
        for (String label : COMMON_LABELS) {
          assertThat(object.path("metadata").path("labels").path(label).asText())
              .as("%s on %s", label, name(object))
              .isNotBlank();
        }
      }
    }
    JsonNode podLabels =
        defaults.get("Deployment", "patchwarden-operator").at("/spec/template/metadata/labels");
    COMMON_LABELS.forEach(label -> assertThat(podLabels.path(label).asText()).isNotBlank());
  }

  // ---------------------------------------------------------------- the Deployment

  @Test
  void operatorPodsMeetPodSecurityRestricted() {
    for (Rendered rendered : List.of(defaults, allFeatures)) {
      PodSpec pod = rendered.deployment().getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getAutomountServiceAccountToken()).isTrue();
      assertThat(pod.getServiceAccountName()).isEqualTo("patchwarden-operator");
      assertThat(pod.getContainers()).hasSize(1);
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
      // The one writable place: an emptyDir at /tmp.
      assertThat(c.getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getMountPath()).isEqualTo("/tmp");
                assertThat(
                        pod.getVolumes().stream()
                            .filter(v -> v.getName().equals(m.getName()))
                            .findFirst()
                            .orElseThrow()
                            .getEmptyDir())
                    .isNotNull();
              });
      // Only emptyDir and Secret volumes: no hostPath.
      pod.getVolumes()
          .forEach(v -> assertThat(v.getEmptyDir() != null || v.getSecret() != null).isTrue());
    }
  }

  @Test
  void deploymentRunsTwoReplicasWithProbesOnTheManagementPort() {
    Deployment d = defaults.deployment();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/patchwarden/operator:" + appVersion());
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactlyInAnyOrder("management=8081", "gateway=8443");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
              assertThat(t.getLabelSelector().getMatchLabels())
                  .isEqualTo(d.getSpec().getSelector().getMatchLabels());
            });
    JsonNode pdb = defaults.get("PodDisruptionBudget", "patchwarden-operator");
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(JSON.convertValue(pdb.at("/spec/selector/matchLabels"), Map.class))
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(defaults.get("Service", "patchwarden-management").at("/spec/ports/0/port").asInt())
        .isEqualTo(8081);
    assertThat(defaults.get("Service", "patchwarden-gateway").at("/spec/ports/0/port").asInt())
        .isEqualTo(8443);
  }

  @Test
  void oneReplicaGetsNoDisruptionBudget() throws IOException {
    // With one replica, minAvailable 1 would block every drain of its node, Patchwarden's own too.
    Rendered one = Rendered.of(HelmManifests.template(CHART, values("one.yaml", "replicas: 1")));
    assertThat(one.deployment().getSpec().getReplicas()).isEqualTo(1);
    assertThat(one.kinds()).noneMatch(k -> k.startsWith("PodDisruptionBudget/"));
  }

  @Test
  void everyVariableIsOneTheOperatorReadsAndDocuments() throws Exception {
    String doc = Files.readString(CONFIGURATION_DOC);
    Set<String> read = variablesTheOperatorReads();
    for (Rendered rendered : List.of(defaults, allFeatures)) {
      for (EnvVar env : container(rendered).getEnv()) {
        if (env.getName().equals("JAVA_TOOL_OPTIONS")) {
          continue; // the JVM's own; see docs/install.md
        }
        assertThat(doc).as("%s in docs/configuration.md", env.getName()).contains(env.getName());
        assertThat(read).as("%s read by the operator", env.getName()).contains(env.getName());
      }
    }
  }

  @Test
  void theOperatorAcceptsTheDefaultEnvironment() {
    OperatorSettings s = OperatorSettings.fromEnvironment(environment(defaults));
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseName()).isEqualTo("patchwarden-operator");
    assertThat(s.leaseNamespace()).isEqualTo(HelmManifests.NAMESPACE);
    assertThat(s.installCrds()).isFalse();
    assertThat(s.managementPort()).isEqualTo(8081);
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.gateway().enabled()).isTrue();
    assertThat(s.gateway().port()).isEqualTo(8443);
    assertThat(s.gateway().tls()).isFalse();
    assertThat(s.gateway().checkinInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.nodeJobs().namespace()).isEqualTo(HelmManifests.NAMESPACE);
    assertThat(s.nodeJobs().serviceAccount()).isEqualTo("patchwarden-node-patch");
    assertThat(s.enrollmentNamespaces()).isEmpty();
    assertThat(s.reportAuth()).isEqualTo(ReportAuth.Kubernetes);
    assertThat(environment(defaults)).containsEntry("PATCHWARDEN_LOG_FORMAT", "json");
  }

  @Test
  void theOperatorAcceptsTheEnvironmentWithEveryFeature() {
    Map<String, String> env = environment(allFeatures);
    OperatorSettings s = OperatorSettings.fromEnvironment(env);
    assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("office", "acme");
    assertThat(s.enrollmentNamespaces()).containsExactlyInAnyOrder("office", "acme");
    assertThat(s.gateway().tls()).isTrue();
    // The TLS files are where the Secret is mounted.
    PodSpec pod = allFeatures.deployment().getSpec().getTemplate().getSpec();
    var mount =
        container(allFeatures).getVolumeMounts().stream()
            .filter(m -> s.gateway().tlsCertificate().startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(s.gateway().tlsKey()).startsWith(mount.getMountPath() + "/");
    var volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("patchwarden-gateway-tls");
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
  }

  // ---------------------------------------------------------------- RBAC

  @Test
  void rbacHasNoWildcardsAndNeverGetsSecrets() throws IOException {
    Rendered noEnrollmentNamespaces = defaults;
    for (Rendered rendered : List.of(noEnrollmentNamespaces, allFeatures)) {
      for (JsonNode role : rendered.roles()) {
        for (PolicyRule rule : rules(role)) {
          List<String> everything = new ArrayList<>();
          everything.addAll(rule.getApiGroups());
          everything.addAll(rule.getResources());
          everything.addAll(rule.getVerbs());
          everything.addAll(rule.getResourceNames());
          assertThat(everything).as("wildcard in %s: %s", name(role), rule).noneMatch("*"::equals);
          assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
          if (rule.getResources().contains("secrets")) {
            assertThat(rule.getVerbs())
                .as("secrets in %s", name(role))
                .containsOnly("list", "watch");
          }
        }
      }
    }
  }

  @Test
  void defaultRbacIsExactlyWhatTheCodeCalls() {
    assertThat(triples(defaults.get("ClusterRole", "patchwarden-operator")))
        .isEqualTo(CLUSTER_RULES);
    assertThat(triples(defaults.get("Role", "patchwarden-operator"))).isEqualTo(NAMESPACE_RULES);
    assertThat(environment(defaults))
        .containsEntry("PATCHWARDEN_LEASE_NAME", "patchwarden-operator");
    assertBoundToTheOperator(defaults.get("ClusterRoleBinding", "patchwarden-operator"));
    assertBoundToTheOperator(defaults.get("RoleBinding", "patchwarden-operator"));
  }

  @Test
  void everyRbacRuleSaysWhy() {
    for (Rendered rendered : List.of(defaults, allFeatures)) {
      for (String doc : rendered.documents()) {
        if (!doc.contains("\nkind: ClusterRole\n") && !doc.contains("\nkind: Role\n")) {
          continue;
        }
        String[] lines = doc.split("\n");
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].trim().startsWith("- apiGroups:")) {
            assertThat(lines[i - 1].trim())
                .as("the line before rule '%s' in\n%s", lines[i].trim(), doc)
                .startsWith("#");
          }
        }
      }
    }
  }

  @Test
  void enrollmentNamespacesMoveSecretsOutOfTheClusterRole() {
    assertThat(triples(allFeatures.get("ClusterRole", "patchwarden-operator")))
        .isEqualTo(without(CLUSTER_RULES, "/secrets:list", "/secrets:watch"));
    for (String namespace : List.of("office", "acme")) {
      JsonNode role = allFeatures.get("Role", "patchwarden-enrollment-tokens", namespace);
      assertThat(triples(role)).containsExactlyInAnyOrder("/secrets:list", "/secrets:watch");
      RoleBinding binding =
          Serialization.unmarshal(
              allFeatures.get("RoleBinding", "patchwarden-enrollment-tokens", namespace).toString(),
              RoleBinding.class);
      assertThat(binding.getRoleRef().getName()).isEqualTo("patchwarden-enrollment-tokens");
      assertBoundToTheOperator(
          allFeatures.get("RoleBinding", "patchwarden-enrollment-tokens", namespace));
    }
    assertThat(environment(allFeatures))
        .containsEntry("PATCHWARDEN_ENROLLMENT_NAMESPACES", "office,acme");
  }

  @Test
  void withoutTheGatewayNoSecretsNamespacesOrEndpointCreation() throws IOException {
    Rendered off =
        Rendered.of(
            HelmManifests.template(
                CHART,
                values(
                    "no-gateway.yaml",
                    "gateway: {enabled: false}\nenrollment: {namespaces: [office]}\n")));
    assertThat(triples(off.get("ClusterRole", "patchwarden-operator")))
        .isEqualTo(
            without(
                CLUSTER_RULES,
                "/secrets:list",
                "/secrets:watch",
                "/namespaces:list",
                "/namespaces:watch",
                "patchwarden.io/managedendpoints:create"));
    assertThat(off.kinds())
        .noneMatch(k -> k.equals("Service/patchwarden-gateway"))
        .noneMatch(k -> k.contains("enrollment-tokens"));
    assertThat(container(off).getPorts())
        .extracting(p -> p.getName())
        .containsExactly("management");
    assertThat(OperatorSettings.fromEnvironment(environment(off)).gateway().enabled()).isFalse();
  }

  @Test
  void reportWithoutAuthNeedsNoReviews() throws IOException {
    Rendered open =
        Rendered.of(HelmManifests.template(CHART, values("open.yaml", "report: {auth: None}")));
    assertThat(triples(open.get("ClusterRole", "patchwarden-operator")))
        .isEqualTo(
            without(
                CLUSTER_RULES,
                "authentication.k8s.io/tokenreviews:create",
                "authorization.k8s.io/subjectaccessreviews:create"));
    assertThat(OperatorSettings.fromEnvironment(environment(open)).reportAuth())
        .isEqualTo(ReportAuth.None);
  }

  @Test
  void nodeJobServiceAccountHasNoTokenAndNoRbac() {
    for (Rendered rendered : List.of(defaults, allFeatures)) {
      JsonNode sa = rendered.get("ServiceAccount", "patchwarden-node-patch");
      assertThat(sa.path("automountServiceAccountToken").asBoolean(true)).isFalse();
      for (JsonNode binding : rendered.objects()) {
        if (binding.path("kind").asText().endsWith("Binding")) {
          binding
              .path("subjects")
              .forEach(s -> assertThat(s.path("name").asText()).isEqualTo("patchwarden-operator"));
        }
      }
    }
  }

  // ---------------------------------------------------------------- optional features

  @Test
  void monitoringObjectsOnlyWhenEnabled() throws IOException {
    assertThat(defaults.kinds())
        .noneMatch(
            k ->
                k.startsWith("ServiceMonitor/")
                    || k.startsWith("PrometheusRule/")
                    || k.startsWith("ConfigMap/")
                    || k.startsWith("NetworkPolicy/")
                    || k.startsWith("Ingress/")
                    || k.startsWith("Certificate/"));
    assertThat(allFeatures.kinds())
        .contains(
            "ServiceMonitor/patchwarden-operator",
            "PrometheusRule/patchwarden-operator",
            "ConfigMap/patchwarden-dashboard",
            "NetworkPolicy/patchwarden-operator",
            "Ingress/patchwarden-gateway",
            "Certificate/patchwarden-gateway");
  }

  @Test
  void serviceMonitorHonoursPatchwardensLabels() {
    JsonNode monitor = allFeatures.get("ServiceMonitor", "patchwarden-operator");
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertThat(endpoint.path("honorLabels").asBoolean()).isTrue();
    assertThat(endpoint.path("port").asText()).isEqualTo("management");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    // It selects the management Service.
    JsonNode service = allFeatures.get("Service", "patchwarden-management");
    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(service.at("/metadata/labels").path(e.getKey()).asText())
                    .isEqualTo(e.getValue().asText()));
  }

  @Test
  void prometheusRuleCarriesTheAlertRulesVerbatim() throws IOException {
    JsonNode rule = allFeatures.get("PrometheusRule", "patchwarden-operator");
    JsonNode source =
        YAML.readTree(ROOT.resolve("monitoring/prometheus/patchwarden-alerts.yaml").toFile());
    assertThat(rule.path("spec").path("groups")).isEqualTo(source.path("groups"));
    assertThat(rule.toString()).contains("{{ $labels.namespace }}").contains("{{ $value }}");
    // The annotations' own templates were not evaluated by Helm.
    List<String> summaries = new ArrayList<>();
    rule.at("/spec/groups")
        .forEach(
            g ->
                g.path("rules").forEach(r -> summaries.add(r.at("/annotations/summary").asText())));
    assertThat(summaries).isNotEmpty().anyMatch(s -> s.contains("{{ $labels."));
  }

  @Test
  void dashboardConfigMapHoldsTheDashboardForTheSidecar() throws IOException {
    JsonNode map = allFeatures.get("ConfigMap", "patchwarden-dashboard", "monitoring");
    assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    String json = map.at("/data").path("patchwarden-dashboard.json").asText();
    String source = Files.readString(ROOT.resolve("monitoring/grafana/patchwarden-dashboard.json"));
    assertThat(json).isEqualTo(source.stripTrailing());
    assertThat(JSON.readTree(json).path("uid").asText()).isEqualTo("patchwarden-overview");
  }

  @Test
  void networkPolicyOpensTheGatewayAndLimitsTheRest() {
    JsonNode policy = allFeatures.get("NetworkPolicy", "patchwarden-operator");
    assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
    JsonNode ingress = policy.at("/spec/ingress");
    assertThat(ingress.get(0).at("/ports/0/port").asText()).isEqualTo("gateway");
    assertThat(ingress.get(0).has("from")).as("gateway from anywhere").isFalse();
    assertThat(ingress.get(1).at("/ports/0/port").asText()).isEqualTo("management");
    assertThat(ingress.get(1).at("/from/0/namespaceSelector/matchExpressions/0/values").toString())
        .isEqualTo("[\"monitoring\"]");
    assertThat(ingress.get(1).at("/from/0/podSelector/matchLabels").toString())
        .contains("prometheus");
    JsonNode egress = policy.at("/spec/egress");
    assertThat(egress.get(0).at("/ports").findValuesAsText("port")).contains("443", "6443");
    assertThat(egress.get(1).at("/ports").findValuesAsText("port")).containsOnly("53");
  }

  @Test
  void gatewayTlsComesFromCertManagerInPkcs8() {
    JsonNode certificate = allFeatures.get("Certificate", "patchwarden-gateway");
    assertThat(certificate.at("/spec/privateKey/encoding").asText()).isEqualTo("PKCS8");
    assertThat(certificate.at("/spec/secretName").asText()).isEqualTo("patchwarden-gateway-tls");
    assertThat(certificate.at("/spec/issuerRef/kind").asText()).isEqualTo("ClusterIssuer");
    JsonNode ingress = allFeatures.get("Ingress", "patchwarden-gateway");
    assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("patchwarden-ingress-tls");
    assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("patchwarden.example.com");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
        .isEqualTo("patchwarden-gateway");
  }

  @Test
  void requiredValuesOfOptionalFeaturesAreNamed() throws IOException {
    assertThatThrownBy(
            () ->
                HelmManifests.template(
                    CHART, values("ingress.yaml", "gateway: {ingress: {enabled: true}}")))
        .hasMessageContaining("gateway.ingress.host");
    assertThatThrownBy(
            () ->
                HelmManifests.template(
                    CHART,
                    values(
                        "cm.yaml",
                        "gateway: {tls: {enabled: true, certManager: {enabled: true}}}")))
        .hasMessageContaining("gateway.tls.certManager.dnsNames");
  }

  // ---------------------------------------------------------------- values and their schema

  @Test
  void schemaRejectsWrongTypesAndUnknownKeysByName() throws IOException {
    assertRejected("replicas: \"two\"", "replicas", "integer");
    assertRejected("replcias: 2", "replcias");
    assertRejected("gateway:\n  tls:\n    enabeld: true", "enabeld");
    assertRejected("logFormat: xml", "logFormat");
    assertRejected("report:\n  auth: Basic", "report.auth");
    assertRejected("gateway:\n  checkinInterval: one minute", "checkinInterval");
    assertRejected("enrollment:\n  namespaces: [Office]", "enrollment.namespaces");
  }

  @Test
  void everySchemaObjectIsClosed() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    List<String> open = new ArrayList<>();
    walkSchema(schema, "", open);
    assertThat(open)
        .as("objects of values.schema.json that accept any key (additionalProperties)")
        .containsExactlyInAnyOrderElementsOf(OPEN_SCHEMA_OBJECTS);
  }

  @Test
  void valuesYamlAndSchemaDeclareTheSameKeys() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> missing = new ArrayList<>();
    schemaKeysMissingFromValues(schema, values, "", missing);
    assertThat(missing).as("schema properties without a default in values.yaml").isEmpty();
  }

  @Test
  void everyValueIsCommented() throws IOException {
    Map<String, JsonNode> documented = documentedValues();
    Set<String> paths = new TreeSet<>(documented.keySet());
    branches(documented.keySet()).forEach(paths::add);
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    Pattern key = Pattern.compile("^( *)([A-Za-z_][A-Za-z0-9_./-]*):(\\s|$)");
    Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
    Set<String> seen = new TreeSet<>();
    String previous = "";
    for (String line : lines) {
      Matcher m = key.matcher(line);
      if (m.find()) {
        int indent = m.group(1).length();
        while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
          stack.pop();
        }
        List<String> parts = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(e -> parts.add(e.getValue()));
        parts.add(m.group(2));
        String path = String.join(".", parts);
        stack.push(Map.entry(indent, m.group(2)));
        if (paths.contains(path)) {
          seen.add(path);
          assertThat(previous.trim()).as("a comment above %s in values.yaml", path).startsWith("#");
        }
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    assertThat(seen).isEqualTo(paths);
  }

  @Test
  void readmeListsEveryValueWithItsDefault() throws IOException {
    Map<String, JsonNode> values = documentedValues();
    Map<String, String> rows = new TreeMap<>();
    Pattern row = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| .+\\|$");
    for (String line : Files.readAllLines(CHART.resolve("README.md"))) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        assertThat(rows.put(m.group(1), m.group(2))).as("%s listed twice", m.group(1)).isNull();
      }
    }
    assertThat(rows.keySet())
        .as("values in README.md's table vs values.yaml")
        .isEqualTo(values.keySet());
    values.forEach(
        (path, value) ->
            assertThat(rows.get(path))
                .as("README.md default of %s", path)
                .isEqualTo("`" + display(value) + "`"));
  }

  // ---------------------------------------------------------------- helpers

  private static void assertRejected(String values, String... named) throws IOException {
    Path file = values("bad-" + Math.abs(values.hashCode()) + ".yaml", values);
    assertThatThrownBy(() -> HelmManifests.template(CHART, file))
        .as("values %s", values)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContainingAll(named);
  }

  private static Path values(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private static String appVersion() {
    try {
      return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Container container(Rendered rendered) {
    return rendered.deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The container's environment as the operator would see it (downward API resolved). */
  private static Map<String, String> environment(Rendered rendered) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : container(rendered).getEnv()) {
      if (e.getValueFrom() != null) {
        assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        env.put(e.getName(), HelmManifests.NAMESPACE);
      } else {
        assertThat(env.put(e.getName(), e.getValue())).as("%s set twice", e.getName()).isNull();
      }
    }
    return env;
  }

  /** The names of the variables the operator reads: OperatorSettings' and Main's constants. */
  private static Set<String> variablesTheOperatorReads() throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : List.of(OperatorSettings.class, Main.class)) {
      for (Field f : type.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          f.setAccessible(true);
          names.add((String) f.get(null));
        }
      }
    }
    return names;
  }

  private static List<PolicyRule> rules(JsonNode role) {
    return JSON.convertValue(role.path("rules"), new TypeReference<List<PolicyRule>>() {});
  }

  /** Every rule as {@code group/resource:verb}, with {@code [names]} when limited to names. */
  private static Set<String> triples(JsonNode role) {
    Set<String> triples = new TreeSet<>();
    for (PolicyRule rule : rules(role)) {
      String names =
          rule.getResourceNames().isEmpty()
              ? ""
              : rule.getResourceNames().toString().replace(" ", "");
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            triples.add(group + "/" + resource + ":" + verb + names);
          }
        }
      }
    }
    return triples;
  }

  private static Set<String> without(Set<String> all, String... removed) {
    Set<String> rest = new TreeSet<>(all);
    assertThat(rest).contains(removed);
    List.of(removed).forEach(rest::remove);
    return rest;
  }

  private static void assertBoundToTheOperator(JsonNode binding) {
    assertThat(binding.path("subjects")).hasSize(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name").asText()).isEqualTo("patchwarden-operator");
    assertThat(subject.path("namespace").asText()).isEqualTo(HelmManifests.NAMESPACE);
  }

  private static String name(JsonNode object) {
    return object.path("kind").asText()
        + " "
        + object.at("/metadata/namespace").asText("")
        + "/"
        + object.at("/metadata/name").asText();
  }

  private static void walkSchema(JsonNode schema, String path, List<String> open) {
    if ("object".equals(schema.path("type").asText())) {
      JsonNode additional = schema.get("additionalProperties");
      if (additional == null || (additional.isBoolean() && additional.asBoolean())) {
        open.add(path);
      }
      if (additional != null && additional.isObject()) {
        walkSchema(additional, path + ".*", open);
      }
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e ->
                walkSchema(
                    e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), open));
    if (schema.has("items")) {
      walkSchema(schema.get("items"), path + "[]", open);
    }
  }

  private static void schemaKeysMissingFromValues(
      JsonNode schema, JsonNode values, String path, List<String> missing) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
              if (p.equals("global")) {
                return;
              }
              if (!values.has(e.getKey())) {
                missing.add(p);
              } else if (!values.get(e.getKey()).isEmpty()) {
                // An empty object ({}) is a leaf: its keys are optional.
                schemaKeysMissingFromValues(e.getValue(), values.get(e.getKey()), p, missing);
              }
            });
  }

  /**
   * The values README.md lists, path to default: values.yaml walked into the non-empty objects the
   * schema closes (with {@code properties}); maps, lists, scalars and empty objects are leaves.
   */
  private static Map<String, JsonNode> documentedValues() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    Map<String, JsonNode> leaves = new TreeMap<>();
    collectLeaves(schema, values, "", leaves);
    return leaves;
  }

  private static void collectLeaves(
      JsonNode schema, JsonNode values, String path, Map<String, JsonNode> leaves) {
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      var e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode s = schema.path("properties").path(e.getKey());
      if (s.has("properties") && !e.getValue().isEmpty()) {
        collectLeaves(s, e.getValue(), p, leaves);
      } else {
        leaves.put(p, e.getValue());
      }
    }
  }

  private static Set<String> branches(Set<String> leaves) {
    Set<String> branches = new TreeSet<>();
    for (String leaf : leaves) {
      for (int i = leaf.indexOf('.'); i > 0; i = leaf.indexOf('.', i + 1)) {
        branches.add(leaf.substring(0, i));
      }
    }
    return branches;
  }

  /** A default as README.md shows it: scalars as they are, "" for empty, JSON for the rest. */
  private static String display(JsonNode value) {
    if (value.isTextual()) {
      return value.asText().isEmpty() ? "\"\"" : value.asText();
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    return value.toString();
  }

  /** The objects of a rendered chart, and its text per document. */
  record Rendered(List<String> documents, List<JsonNode> objects) {
    static Rendered of(String text) throws IOException {
      List<String> documents = new ArrayList<>();
      List<JsonNode> objects = new ArrayList<>();
      for (String doc : text.split("(?m)^---\\s*$")) {
        JsonNode object = YAML.readTree(doc);
        if (object == null || object.isMissingNode() || object.isNull() || object.isEmpty()) {
          continue;
        }
        documents.add(doc);
        objects.add(object);
      }
      return new Rendered(documents, objects);
    }

    List<String> kinds() {
      return objects.stream()
          .map(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
          .toList();
    }

    JsonNode get(String kind, String name) {
      return get(kind, name, null);
    }

    JsonNode get(String kind, String name, String namespace) {
      Map<String, JsonNode> found = new HashMap<>();
      for (JsonNode o : objects) {
        if (o.path("kind").asText().equals(kind)
            && o.at("/metadata/name").asText().equals(name)
            && (namespace == null || o.at("/metadata/namespace").asText().equals(namespace))) {
          found.put(name(o), o);
        }
      }
      assertThat(found).as("%s %s/%s rendered once", kind, namespace, name).hasSize(1);
      return found.values().iterator().next();
    }

    List<JsonNode> roles() {
      return objects.stream()
          .filter(o -> Set.of("Role", "ClusterRole").contains(o.path("kind").asText()))
          .toList();
    }

    Deployment deployment() {
      return Serialization.unmarshal(
          get("Deployment", "patchwarden-operator").toString(), Deployment.class);
    }
  }
}
