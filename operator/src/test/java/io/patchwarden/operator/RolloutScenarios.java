package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.run.RunPhase;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.OperatorScenario;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rollout gates without agents: the test plays the agents by writing inventories and results.
 * Manual approval, Audit previews and the emergency path, on the mock server and a real one.
 */
@Timeout(180)
public abstract class RolloutScenarios extends OperatorScenario {
  private static final Duration WAIT = Duration.ofSeconds(45);

  @Override
  protected void prepare() {
    for (String ns : List.of("manual", "audit", "emergency", "history")) {
      cluster.createNamespace(ns);
    }
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private void apply(String ns, String yaml) {
    for (HasMetadata o : client().load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      o.getMetadata().setNamespace(ns);
      client().resource(o).create();
    }
  }

  private void endpoint(String ns, String name, List<Object> updates) {
    ManagedEndpoint e = new ManagedEndpoint();
    e.getMetadata().setName(name);
    e.getMetadata().setNamespace(ns);
    e.setSpec(new io.patchwarden.api.endpoint.ManagedEndpointSpec());
    e.getSpec().setMachineId("machine-" + name);
    client().resource(e).create();
    report(ns, name, Map.of("hostname", name, "pendingUpdates", updates), null);
  }

  /** What an agent's check-in and result do to the status (JSON patch: see ComplianceScenarios). */
  private void report(
      String ns, String name, Map<String, Object> inventory, Map<String, Object> result) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var resource = client().resources(ManagedEndpoint.class).inNamespace(ns).withName(name);
    List<Map<String, Object>> ops = new ArrayList<>();
    if (resource.get().getStatus() == null) {
      ops.add(Map.of("op", "add", "path", "/status", "value", Map.of("lastSeen", now)));
    } else {
      ops.add(Map.of("op", "add", "path", "/status/lastSeen", "value", now));
    }
    ops.add(Map.of("op", "add", "path", "/status/inventory", "value", inventory));
    if (result != null) {
      ops.add(Map.of("op", "add", "path", "/status/lastResult", "value", result));
    }
    resource
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
  }

  private static Map<String, Object> update(String id, String severity) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("id", id);
    u.put("package", id.substring(0, id.indexOf('=')));
    u.put("version", id.substring(id.indexOf('=') + 1));
    u.put("classification", "Security");
    u.put("severity", severity);
    u.put("releaseDate", LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
    return u;
  }

  private PatchRun run(String ns) {
    List<PatchRun> runs = client().resources(PatchRun.class).inNamespace(ns).list().getItems();
    return runs.isEmpty() ? null : runs.get(runs.size() - 1);
  }

  private PatchRun awaitRun(String ns, RunPhase phase) {
    return await()
        .atMost(WAIT)
        .until(
            () -> run(ns),
            r -> r != null && r.getStatus() != null && r.getStatus().getPhase() == phase);
  }

  private Assignment assignment(String ns, String name) {
    ManagedEndpoint e =
        client().resources(ManagedEndpoint.class).inNamespace(ns).withName(name).get();
    return e.getSpec() == null ? null : e.getSpec().getAssignment();
  }

  private long assigned(String ns) {
    return client().resources(ManagedEndpoint.class).inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getSpec() != null && e.getSpec().getAssignment() != null)
        .count();
  }

  private static final String GROUP =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: all}
      spec:
        endpointSelector: {}
      """;

  @Test
  void aManualRunWaitsForApprovalThenRollsOutWithinMaxConcurrent() {
    String ns = "manual";
    apply(ns, GROUP);
    for (String name : List.of("a", "b", "c")) {
      endpoint(ns, name, List.of(update("openssl=3.0.15", "High")));
    }
    apply(
        ns,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: servers}
        spec:
          mode: Enforce
          groups: [all]
          approval:
            mode: Manual
            rules: [{classifications: [Security]}]
          rollout: {maxConcurrent: 2}
        """);
    PatchRun waiting = awaitRun(ns, RunPhase.WaitingForApproval);
    String name = waiting.getMetadata().getName();
    assertThat(Conditions.of(waiting.getStatus(), "WaitingForApproval"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getStatus())
                    .isEqualTo(io.patchwarden.api.common.ConditionStatus.TRUE));
    assertThat(waiting.getSpec().getBaseline().getUpdates())
        .extracting(u -> u.getId())
        .containsExactly("openssl=3.0.15");
    assertThat(assigned(ns)).as("nothing assigned before approval").isZero();
    assertThat(
            client().v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason()))
        .contains("RunStarted", "WaitingForApproval");

    Edits.retryOnConflict(
        client().resources(PatchPolicy.class).inNamespace(ns).withName("servers"),
        p -> {
          p.getSpec().getApproval().setApprovedRuns(List.of(name));
          return p;
        });
    await().atMost(WAIT).until(() -> assigned(ns) == 2);
    awaitRun(ns, RunPhase.Running);
    List<String> first = new ArrayList<>();
    for (String e : List.of("a", "b", "c")) {
      Assignment a = assignment(ns, e);
      if (a != null) {
        assertThat(a.getRun()).isEqualTo(name);
        assertThat(a.getUpdates()).extracting(u -> u.getId()).containsExactly("openssl=3.0.15");
        assertThat(a.getInstallUntil()).isNotNull();
        first.add(e);
      }
    }
    // The agents of the first two install and report; the third gets its turn.
    for (String e : first) {
      report(
          ns,
          e,
          Map.of("hostname", e, "pendingUpdates", List.of()),
          Map.of(
              "run",
              name,
              "reportedAt",
              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
              "updates",
              List.of(Map.of("id", "openssl=3.0.15", "result", "Installed"))));
    }
    String third =
        List.of("a", "b", "c").stream().filter(e -> !first.contains(e)).findFirst().orElseThrow();
    await().atMost(WAIT).until(() -> assignment(ns, third) != null);
    for (String e : first) {
      await().atMost(WAIT).until(() -> assignment(ns, e) == null);
    }
    report(
        ns,
        third,
        Map.of("hostname", third, "pendingUpdates", List.of()),
        Map.of(
            "run",
            name,
            "reportedAt",
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            "updates",
            List.of(Map.of("id", "openssl=3.0.15", "result", "Installed"))));
    PatchRun done = awaitRun(ns, RunPhase.Succeeded);
    assertThat(done.getStatus().getTotals().getSucceeded()).isEqualTo(3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client()
                    .resources(PatchPolicy.class)
                    .inNamespace(ns)
                    .withName("servers")
                    .get()
                    .getStatus()
                    .getLastRun(),
            r ->
                r != null
                    && Objects.equals(r.getName(), name)
                    && r.getPhase() == RunPhase.Succeeded);
  }

  @Test
  void anAuditPolicyRecordsAPreviewAndAssignsNothing() {
    String ns = "audit";
    apply(ns, GROUP);
    for (String name : List.of("a", "b")) {
      endpoint(ns, name, List.of(update("curl=8.5", "High")));
    }
    apply(
        ns,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: preview}
        spec:
          mode: Audit
          groups: [all]
          approval: {rules: [{}]}
          rollout:
            waves: [{name: first, percent: 50}, {name: rest, percent: 100}]
        """);
    PatchRun preview = awaitRun(ns, RunPhase.DryRun);
    assertThat(preview.getSpec().getDryRun()).isTrue();
    await().atMost(WAIT).until(() -> run(ns).getStatus().getTotals().getPending() == 2);
    assertThat(run(ns).getStatus().getWaves())
        .extracting(w -> w.getName())
        .containsExactly("first", "rest");
    assertThat(assigned(ns)).isZero();
  }

  @Test
  void emergencyUpdatesAreAssignedOutsideWindowsAndOthersWait() {
    String ns = "emergency";
    apply(ns, GROUP);
    endpoint(ns, "critical", List.of(update("openssh-server=9.2", "Critical")));
    endpoint(ns, "routine", List.of(update("vim=9.1", "Low")));
    apply(
        ns,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: MaintenanceWindow
        metadata: {name: next-year}
        spec:
          timeZone: UTC
          recurrence: {once: "%s"}
          start: "02:00"
          duration: 2h
        ---
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: urgent}
        spec:
          mode: Enforce
          groups: [all]
          windows: [next-year]
          approval: {rules: [{}]}
          emergency: {outsideWindows: [Critical]}
        """
            .formatted(LocalDate.now(ZoneOffset.UTC).plusYears(1)));
    await().atMost(WAIT).until(() -> assignment(ns, "critical") != null);
    Assignment a = assignment(ns, "critical");
    assertThat(a.getEmergency()).isTrue();
    assertThat(a.getUpdates()).extracting(u -> u.getId()).containsExactly("openssh-server=9.2");
    assertThat(assignment(ns, "routine")).as("no window is open for the routine update").isNull();
    PatchRun run = awaitRun(ns, RunPhase.Running);
    assertThat(run.getStatus().getTotals().getTargets()).isEqualTo(2);
  }

  @Test
  void finishedRunsBeyondHistoryKeepAreDeleted() {
    String ns = "history";
    apply(ns, GROUP);
    endpoint(ns, "pc", List.of(update("curl=8.5", "High")));
    apply(
        ns,
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: PatchPolicy
        metadata: {name: short-memory}
        spec:
          mode: Enforce
          groups: [all]
          approval: {rules: [{}]}
          history: {keep: 1}
        """);
    String first = installAndFinish(ns, "curl=8.5");
    // A new update starts a second run; when it finishes, only it is kept.
    report(
        ns,
        "pc",
        Map.of("hostname", "pc", "pendingUpdates", List.of(update("bash=5.2", "High"))),
        null);
    await().atMost(WAIT).until(() -> !run(ns).getMetadata().getName().equals(first));
    String second = installAndFinish(ns, "bash=5.2");
    await()
        .atMost(WAIT)
        .until(
            () -> client().resources(PatchRun.class).inNamespace(ns).list().getItems(),
            runs -> runs.size() == 1 && runs.get(0).getMetadata().getName().equals(second));
  }

  /** Plays the agent: waits for the assignment, installs, reports; returns the finished run. */
  private String installAndFinish(String ns, String update) {
    await().atMost(WAIT).until(() -> assignment(ns, "pc") != null);
    String name = assignment(ns, "pc").getRun();
    report(
        ns,
        "pc",
        Map.of("hostname", "pc", "pendingUpdates", List.of()),
        Map.of(
            "run", name,
            "reportedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            "updates", List.of(Map.of("id", update, "result", "Installed"))));
    await()
        .atMost(WAIT)
        .until(
            () -> client().resources(PatchRun.class).inNamespace(ns).withName(name).get(),
            r ->
                r != null
                    && r.getStatus() != null
                    && r.getStatus().getPhase() == RunPhase.Succeeded);
    return name;
  }
}
