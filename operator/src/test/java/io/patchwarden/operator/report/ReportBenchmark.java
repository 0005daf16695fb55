package io.patchwarden.operator.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.Endpoints;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A measurement, not a test: the compliance report over N endpoints (default 50,000) on a real API
 * server, in each format — bytes, time, and how much the heap grows while it streams (sampled every
 * 20 ms, after a GC), which must not grow with the report's size. Run with {@code make
 * bench-report} (ENDPOINTS).
 */
public final class ReportBenchmark {
  private ReportBenchmark() {}

  private static final String NS = "report-bench";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      cluster.installCrds();
      KubernetesClient client = cluster.client();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .createOr(x -> x.update());
      create(client, GROUP);
      create(client, POLICY);
      long started = System.nanoTime();
      endpoints(client, n);
      System.out.printf(
          "%d endpoints with inventories created in %.1f s%n",
          n, (System.nanoTime() - started) / 1e9);
      try (PatchwardenOperator operator =
          PatchwardenOperator.start(
              client,
              OperatorSettings.defaults()
                  .withLeaderElection(false)
                  .withManagementPort(0)
                  .withGateway(GatewaySettings.defaults().withPort(0))
                  .withWatchNamespaces(Set.of(NS))
                  .withReportAuth(ReportAuth.None),
              Clock.systemUTC())) {
        // Measure a settled operator: its first pass writes a compliance entry to every endpoint.
        long settling = System.nanoTime();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(30))
            .pollInterval(java.time.Duration.ofSeconds(5))
            .until(() -> evaluated(client, "pc-0") && evaluated(client, "pc-" + (n - 1)));
        System.out.printf(
            "operator settled (compliance written) after %.1f s%n",
            (System.nanoTime() - settling) / 1e9);
        for (String format : List.of("csv", "json", "html")) {
          measure(operator.managementPort(), format);
        }
      }
    }
  }

  private static boolean evaluated(KubernetesClient client, String name) {
    ManagedEndpoint e =
        client.resources(ManagedEndpoint.class).inNamespace(NS).withName(name).get();
    return e.getStatus() != null
        && e.getStatus().getCompliance() != null
        && !e.getStatus().getCompliance().isEmpty();
  }

  private static void measure(int port, String format) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0,
        20,
        TimeUnit.MILLISECONDS);
    long started = System.nanoTime();
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/report?format="
                                + format
                                + "&namespace="
                                + NS))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    long bytes = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body()) {
      for (int r; (r = in.read(buffer)) > 0; ) {
        bytes += r;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    sampler.shutdownNow();
    System.out.printf(
        "%-4s %d: %,d bytes in %.1f s; heap %d MiB before, peak +%d MiB while streaming%n",
        format, response.statusCode(), bytes, seconds, before >> 20, (peak.get() - before) >> 20);
  }

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
        mode: Audit
        groups: [laptops]
        approval:
          rules:
            - classifications: [Security]
        deadlines: {knownExploited: 2d, critical: 7d, high: 14d, medium: 30d, low: 90d}
      """;

  private static void create(KubernetesClient client, String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    object.getMetadata().setNamespace(NS);
    client.resource(object).create();
  }

  private static void endpoints(KubernetesClient client, int n) throws Exception {
    Endpoints.createInParallel(n, k -> endpoint(client, "pc-" + k, k));
  }

  private static void endpoint(KubernetesClient client, String name, int k) {
    List<Object> updates = new ArrayList<>();
    for (int u = 0; u < k % 4; u++) {
      updates.add(
          Endpoints.security("pkg" + u + "=1." + u, u == 0 ? "Critical" : "Medium", 3L * u));
    }
    Endpoints.withInventory(client, NS, name, Map.of("role", "laptop"), updates);
  }
}
