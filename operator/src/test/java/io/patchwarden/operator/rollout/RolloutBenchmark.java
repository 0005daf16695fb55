package io.patchwarden.operator.rollout;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.bench.BenchResult;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.CountingClient;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A measurement, not a test: how fast a policy with maxConcurrent 100% gets an assignment onto
 * every one of N endpoints (real API server, installs never happen), next to a raw-client baseline
 * that writes the same number of assignment patches directly, one after the other. Run with {@code
 * make bench-rollout} (ENDPOINTS, default 1000).
 */
public final class RolloutBenchmark {
  private RolloutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    run(n);
    System.exit(0); // the shared API server's shutdown hook stops etcd and kube-apiserver
  }

  /** Runs the scenario once on the shared real API server and records its figures. */
  public static List<BenchResult> run(int n) throws Exception {
    List<BenchResult> results = new ArrayList<>();
    // Namespaces per size: one API server carries several runs under make bench.
    String bench = "rollout-bench-" + n;
    String rawNs = "rollout-raw-" + n;
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      cluster.installCrds();
      KubernetesClient client = cluster.client();
      for (String ns : List.of(bench, rawNs)) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .createOr(x -> x.update());
        create(client, ns, n);
      }
      System.out.printf("%d endpoints with one approved update each, in two namespaces%n", n);

      long rawStarted = System.nanoTime();
      String assignment =
          Serialization.asJson(
              List.of(
                  Map.of(
                      "op",
                      "add",
                      "path",
                      "/spec/assignment",
                      "value",
                      Map.of(
                          "run",
                          "raw",
                          "installUntil",
                          Instant.now().plus(Duration.ofDays(1)).toString(),
                          "updates",
                          List.of(
                              Map.of(
                                  "id",
                                  "openssl=3.0.15",
                                  "package",
                                  "openssl",
                                  "version",
                                  "3.0.15"))))));
      for (int i = 0; i < n; i++) {
        client
            .resources(ManagedEndpoint.class)
            .inNamespace(rawNs)
            .withName("pc-" + i)
            .patch(PatchContext.of(PatchType.JSON), assignment);
      }
      double raw = (System.nanoTime() - rawStarted) / 1e9;
      System.out.printf(
          "raw client, sequential JSON patches:  %6.1f s  %6.0f assignments/s%n", raw, n / raw);

      OperatorSettings settings =
          OperatorSettings.defaults()
              .withLeaderElection(false)
              .withManagementPort(0)
              .withGateway(GatewaySettings.defaults().withPort(0))
              .withWatchNamespaces(java.util.Set.of(bench));
      CountingClient counting = new CountingClient(cluster.kubeConfigYaml());
      try (KubernetesClient operatorClient = counting.client();
          PatchwardenOperator operator =
              PatchwardenOperator.start(operatorClient, settings, Clock.systemUTC())) {
        // Let the endpoint controller's first status writes (one per endpoint, at start) finish:
        // they are not part of a rollout.
        Awaitility.await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    client
                        .resources(ManagedEndpoint.class)
                        .inNamespace(bench)
                        .list()
                        .getItems()
                        .stream()
                        .allMatch(e -> e.getStatus().getConditions() != null));
        long started = System.nanoTime();
        long requestsBefore = counting.total();
        long writesBefore = counting.writes();
        for (var o : client.load(new ByteArrayInputStream(POLICY.getBytes())).items()) {
          o.getMetadata().setNamespace(bench);
          client.resource(o).create();
        }
        // Counted from a watch (an informer): listing 1,000 objects every second would load the
        // API server this benchmark measures.
        java.util.Set<String> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        var informer =
            client
                .resources(ManagedEndpoint.class)
                .inNamespace(bench)
                .inform(
                    new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                      @Override
                      public void onAdd(ManagedEndpoint e) {
                        onUpdate(null, e);
                      }

                      @Override
                      public void onUpdate(ManagedEndpoint old, ManagedEndpoint e) {
                        if (e.getSpec() != null && e.getSpec().getAssignment() != null) {
                          assigned.add(e.getMetadata().getName());
                        }
                      }

                      @Override
                      public void onDelete(ManagedEndpoint e, boolean unknown) {}
                    });
        Awaitility.await()
            .atMost(Duration.ofMinutes(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> assigned.size() == n);
        informer.close();
        double operatorSeconds = (System.nanoTime() - started) / 1e9;
        long requests = counting.total() - requestsBefore;
        long writes = counting.writes() - writesBefore;
        System.out.printf(
            "operator, policy applied -> all assigned: %6.1f s  %6.0f assignments/s  (%.2fx raw)%n",
            operatorSeconds, n / operatorSeconds, raw / operatorSeconds);
        System.out.println(scrape(operator));
        String size = String.format("%,d endpoints", n);
        results.add(
            BenchResult.figure(
                    "convergence",
                    "raw client, sequential patches, " + size,
                    n / raw,
                    "/s",
                    String.format("%.1f s for %d assignment patches", raw, n))
                .record());
        results.add(
            BenchResult.figure(
                    "convergence",
                    "operator: policy applied → all assigned, " + size,
                    operatorSeconds,
                    "s",
                    String.format(
                        "%.0f assignments/s; %d requests issued by the operator meanwhile, %d of"
                            + " them writes",
                        n / operatorSeconds, requests, writes))
                .record());
        results.add(
            BenchResult.atLeast(
                    "convergence",
                    "operator rate ÷ raw-client rate, " + size,
                    raw / operatorSeconds,
                    "×",
                    0.5,
                    "same API server, same run")
                .record());
      }
    }
    return results;
  }

  private static final String POLICY =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: all}
      spec:
        endpointSelector: {}
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: all}
      spec:
        mode: Enforce
        groups: [all]
        approval: {rules: [{}]}
        rollout: {maxConcurrent: 100%}
      """;

  private static void create(KubernetesClient client, String ns, int n) {
    String released = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    for (int i = 0; i < n; i++) {
      ManagedEndpoint e = new ManagedEndpoint();
      e.getMetadata().setName("pc-" + i);
      e.getMetadata().setNamespace(ns);
      e.setSpec(new ManagedEndpointSpec());
      e.getSpec().setMachineId("m-" + i);
      client.resource(e).create();
      String status =
          Serialization.asJson(
              List.of(
                  Map.of(
                      "op",
                      "add",
                      "path",
                      "/status",
                      "value",
                      Map.of(
                          "lastSeen",
                          Instant.now().toString().substring(0, 19) + "Z",
                          "inventory",
                          Map.of(
                              "hostname",
                              "pc-" + i,
                              "pendingUpdates",
                              List.of(
                                  Map.of(
                                      "id",
                                      "openssl=3.0.15",
                                      "package",
                                      "openssl",
                                      "version",
                                      "3.0.15",
                                      "classification",
                                      "Security",
                                      "severity",
                                      "High",
                                      "releaseDate",
                                      released)))))));
      client
          .resources(ManagedEndpoint.class)
          .inNamespace(ns)
          .withName("pc-" + i)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), status);
    }
  }

  /** The operator's API-call counters (JOSDK) and assignment counter, from /metrics. */
  private static String scrape(PatchwardenOperator operator) throws Exception {
    String body =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    StringBuilder out = new StringBuilder();
    body.lines()
        .filter(
            l ->
                l.startsWith("patchwarden_assignments_total")
                    || l.startsWith("patchwarden_policy_evaluations_total"))
        .forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }
}
