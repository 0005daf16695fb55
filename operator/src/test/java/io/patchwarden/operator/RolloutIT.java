package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.agent.simulator.Fleet;
import io.patchwarden.agent.simulator.FleetConfig;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.run.RunPhase;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.rollout.WaveDef;
import io.patchwarden.operator.testing.AssignmentHistory;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Rollouts end to end on a real API server: simulated agents enroll through the gateway over HTTP,
 * report inventories, receive assignments and report results. What happened is checked from a
 * recorded history (a watch on the endpoints), never from timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class RolloutIT {
  private static final Duration CHECKIN = Duration.ofSeconds(1);
  private RealApiServerCluster cluster;
  private PatchwardenOperator operator;

  private int gatewayPort;

  @BeforeAll
  void start() throws Exception {
    cluster = new RealApiServerCluster();
    cluster.installCrds();
    // One port for every operator instance of this class: the agents keep their gateway URL
    // across a restart, as they would behind a Service.
    try (var socket = new java.net.ServerSocket(0)) {
      gatewayPort = socket.getLocalPort();
    }
    operator = startOperator();
  }

  private PatchwardenOperator startOperator() throws java.io.IOException {
    return PatchwardenOperator.start(
        cluster.client(),
        OperatorSettings.defaults()
            .withLeaderElection(false)
            .withManagementPort(0)
            .withGateway(
                GatewaySettings.defaults()
                    .withPort(gatewayPort)
                    .withLimits(1024 * 1024, 20.0, 50)
                    .withIntervals(CHECKIN, Duration.ofMinutes(5))),
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

  private KubernetesClient client() {
    return cluster.client();
  }

  /** Two fleets: 5 canary endpoints and the rest, labelled by the token they enroll with. */
  private List<Fleet> fleets(String ns, int total, double failureRate) {
    Enrollment.source(client(), ns);
    Enrollment.token(client(), ns, "canary", ns + "-canary-token-0123456789", "ring=canary");
    Enrollment.token(client(), ns, "main", ns + "-main-token-0123456789", "ring=main");
    URI gateway = URI.create("http://127.0.0.1:" + operator.gatewayPort());
    List<Fleet> fleets = new ArrayList<>();
    fleets.add(fleet(gateway, ns + "-canary-token-0123456789", 5, 1, failureRate));
    fleets.add(fleet(gateway, ns + "-main-token-0123456789", total - 5, 2, failureRate));
    fleets.forEach(Fleet::start);
    // Every agent enrolled and reported its inventory before the policy is applied.
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                client().resources(ManagedEndpoint.class).inNamespace(ns).list().getItems().stream()
                        .filter(e -> e.getStatus() != null && e.getStatus().getInventory() != null)
                        .count()
                    == total);
    return fleets;
  }

  private static Fleet fleet(URI gateway, String token, int count, long seed, double failureRate) {
    return new Fleet(
        FleetConfig.builder(gateway, token)
            .count(count)
            .seed(seed)
            .failureRate(failureRate)
            .checkinInterval(CHECKIN)
            .rampUp(Duration.ofSeconds(2))
            .installTimeFactor(0)
            .threads(4)
            .build());
  }

  private void apply(String ns, String yaml) {
    for (var o : client().load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      o.getMetadata().setNamespace(ns);
      client().resource(o).createOr(existing -> existing.update());
    }
  }

  private static final String SETUP =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: MaintenanceWindow
      metadata: {name: always}
      spec:
        timeZone: UTC
        recurrence: {cron: "0 * * * *"}
        duration: 2h
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: fleet}
      spec:
        endpointSelector: {}
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: canary}
      spec:
        endpointSelector: {matchLabels: {ring: canary}}
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: fleet}
      spec:
        mode: Enforce
        groups: [fleet]
        windows: [always]
        approval:
          rules: [{classifications: [Security]}]
        rollout:
          waves:
            - {name: canary, group: canary}
            - {name: pilot, percent: 10}
            - {name: everyone, percent: 100}
          maxConcurrent: 10
          %s
      """;

  private PatchRun onlyRun(String ns) {
    List<PatchRun> runs = client().resources(PatchRun.class).inNamespace(ns).list().getItems();
    if (Boolean.getBoolean("rollout.debug") && !runs.isEmpty()) {
      System.err.println(Instant.now() + " RUN " + Serialization.asYaml(runs.get(0).getStatus()));
      var pp = client().resources(PatchPolicy.class).inNamespace(ns).withName("fleet").get();
      System.err.println("POLICY " + Serialization.asYaml(pp.getStatus()));
      var eps = client().resources(ManagedEndpoint.class).inNamespace(ns).list().getItems();
      System.err.println(
          "ASSIGNED "
              + eps.stream().filter(e -> e.getSpec().getAssignment() != null).count()
              + " RESULTS "
              + eps.stream()
                  .filter(e -> e.getStatus() != null && e.getStatus().getLastResult() != null)
                  .count());
    }
    return runs.isEmpty() ? null : runs.get(0);
  }

  @Test
  void wavesInOrderNeverMoreThanMaxConcurrentAndEveryoneCompliant() throws Exception {
    String ns = "rollout-ok";
    cluster.createNamespace(ns);
    AssignmentHistory history = new AssignmentHistory();
    try (var watch = client().resources(ManagedEndpoint.class).inNamespace(ns).watch(history)) {
      List<Fleet> fleets = fleets(ns, 200, 0);
      try {
        apply(ns, SETUP.formatted(""));
        PatchRun done =
            await()
                .atMost(Duration.ofMinutes(5))
                .until(
                    () -> onlyRun(ns),
                    r ->
                        r != null
                            && r.getStatus() != null
                            && r.getStatus().getPhase() == RunPhase.Succeeded);
        // Targets already compliant when the run started are not part of it.
        int inRun = done.getStatus().getTotals().getTargets();
        assertThat(inRun).isGreaterThan(100);
        assertThat(done.getStatus().getTotals().getSucceeded()).isEqualTo(inRun);
        assertThat(done.getStatus().getWaves())
            .extracting(w -> w.getName())
            .containsExactly("canary", "pilot", "everyone");
        // The canary wave is the canary group's targets that needed updates (up to 5).
        assertThat(done.getStatus().getWaves().get(0).getTargets()).isBetween(1, 5);
        assertThat(done.getStatus().getWaves().get(0).getSucceeded())
            .isEqualTo(done.getStatus().getWaves().get(0).getTargets());
        // Every target ends without missing updates: Compliant, or PendingReboot for the
        // simulated machines that wanted a reboot before the run (nothing to install there).
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    client()
                        .resources(PatchPolicy.class)
                        .inNamespace(ns)
                        .withName("fleet")
                        .get()
                        .getStatus(),
                s ->
                    s.getStates() != null
                        && s.getStates().getMissing() == 0
                        && s.getStates().getFailed() == 0
                        && s.getStates().getCompliant() + s.getStates().getPendingReboot() == 200);

        assertThat(history.maxInFlight).as("assignments in flight at once").isBetween(1, 10);
        String run = done.getMetadata().getName();
        List<WaveDef> waves =
            WaveDef.complete(
                List.of(
                    new WaveDef("canary", "canary", null, null),
                    new WaveDef("pilot", null, 10, null),
                    new WaveDef("everyone", null, 100, null)));
        int lastOfPrevious = 0;
        for (int wave = 0; wave < waves.size(); wave++) {
          int first = Integer.MAX_VALUE;
          int last = 0;
          for (String name : history.order.keySet()) {
            Set<String> groups =
                "canary".equals(history.labels.get(name).get("ring")) ? Set.of("canary") : Set.of();
            if (WaveDef.waveOf(history.uids.get(name), groups, waves, run) == wave) {
              first = Math.min(first, history.order.get(name));
              last = Math.max(last, history.order.get(name));
            }
          }
          assertThat(first)
              .as("wave %s starts after the previous one's last assignment", waves.get(wave).name())
              .isGreaterThan(lastOfPrevious);
          lastOfPrevious = last;
        }
        assertThat(history.assignments.get()).as("each target assigned once").isEqualTo(inRun);
      } finally {
        fleets.forEach(Fleet::close);
      }
    }
  }

  @Test
  void failuresBeyondTheThresholdHaltTheRunAndNothingIsAssignedAfter() throws Exception {
    String ns = "rollout-halt";
    cluster.createNamespace(ns);
    AssignmentHistory history = new AssignmentHistory();
    try (var watch = client().resources(ManagedEndpoint.class).inNamespace(ns).watch(history)) {
      List<Fleet> fleets = fleets(ns, 200, 0.3);
      try {
        apply(ns, SETUP.formatted("haltOnFailures: 10%"));
        PatchRun halted =
            await()
                .atMost(Duration.ofMinutes(5))
                .until(
                    () -> onlyRun(ns),
                    r ->
                        r != null
                            && r.getStatus() != null
                            && r.getStatus().getPhase() == RunPhase.Halted);
        var waves = halted.getStatus().getWaves();
        int haltedWave = -1;
        for (int i = 0; i < waves.size(); i++) {
          int threshold = waves.get(i).getTargets() * 10 / 100;
          if (waves.get(i).getFailed() > threshold) {
            haltedWave = i;
            break;
          }
        }
        assertThat(haltedWave)
            .as("a wave exceeded 10%% failures: %s", Serialization.asYaml(waves))
            .isGreaterThanOrEqualTo(0);
        for (int i = haltedWave + 1; i < waves.size(); i++) {
          assertThat(
                  waves.get(i).getAssigned()
                      + waves.get(i).getSucceeded()
                      + waves.get(i).getFailed())
              .as("wave %s after the halt", waves.get(i).getName())
              .isZero();
        }
        assertThat(halted.getStatus().getFailures()).isNotEmpty();
        int atHalt = history.assignments.get();
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(15))
            .until(() -> history.assignments.get() == atHalt);
        assertThat(history.maxInFlight).isBetween(1, 10);
        assertThat(
                client()
                    .resources(PatchPolicy.class)
                    .inNamespace(ns)
                    .withName("fleet")
                    .get()
                    .getStatus()
                    .getRollout()
                    .getRun())
            .isEqualTo(halted.getMetadata().getName());
        assertThat(scrape())
            .contains("patchwarden_run_halted{namespace=\"" + ns + "\",policy=\"fleet\"} 1.0");
        assertThat(
                client().v1().events().inNamespace(ns).list().getItems().stream()
                    .map(e -> e.getReason()))
            .contains("RunStarted", "RunHalted");

        // A new resume token accepts the failures so far: the halted wave records them.
        int failedAtHalt = waves.get(haltedWave).getFailed();
        int wave = haltedWave;
        io.patchwarden.operator.testing.Edits.retryOnConflict(
            client().resources(PatchPolicy.class).inNamespace(ns).withName("fleet"),
            p -> {
              p.getSpec().getRollout().setResumeToken("accepted-1");
              return p;
            });
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> onlyRun(ns).getStatus().getWaves().get(wave).getAcceptedFailures(),
                accepted -> accepted != null && accepted >= failedAtHalt);
      } finally {
        fleets.forEach(Fleet::close);
      }
    }
  }

  @Test
  void aRestartedOperatorContinuesTheRunWithoutReassigningOrExceedingMaxConcurrent()
      throws Exception {
    String ns = "rollout-restart";
    cluster.createNamespace(ns);
    AssignmentHistory history = new AssignmentHistory();
    try (var watch = client().resources(ManagedEndpoint.class).inNamespace(ns).watch(history)) {
      List<Fleet> fleets = fleets(ns, 100, 0);
      try {
        apply(ns, SETUP.formatted(""));
        await().atMost(Duration.ofMinutes(2)).until(() -> history.assignments.get() >= 20);
        operator.close(); // mid-run: assignments in flight, results arriving
        operator = startOperator();
        PatchRun done =
            await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> onlyRun(ns),
                    r ->
                        r != null
                            && r.getStatus() != null
                            && r.getStatus().getPhase() == RunPhase.Succeeded);
        int inRun = done.getStatus().getTotals().getTargets();
        assertThat(done.getStatus().getTotals().getSucceeded()).isEqualTo(inRun);
        assertThat(history.assignments.get())
            .as("no target assigned twice across the restart")
            .isEqualTo(inRun);
        assertThat(history.maxInFlight).as("maxConcurrent across the restart").isBetween(1, 10);
        assertThat(client().resources(PatchRun.class).inNamespace(ns).list().getItems())
            .as("the same run continued")
            .hasSize(1);
      } finally {
        fleets.forEach(Fleet::close);
      }
    }
  }

  private String scrape() throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
