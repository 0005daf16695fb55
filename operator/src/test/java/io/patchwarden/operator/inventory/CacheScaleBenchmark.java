package io.patchwarden.operator.inventory;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.bench.BenchResult;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.Endpoints;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * Operator start-up and heap with a large fleet cached: N ManagedEndpoints with an inventory of ten
 * pending updates each exist before the operator starts; measured are the time from {@code
 * PatchwardenOperator.start} to the first reconcile of a policy over all of them (its status
 * written), and the heap the operator holds then, after a full GC, minus the heap before it
 * started. {@code make bench} (ENDPOINTS, default 50,000).
 */
public final class CacheScaleBenchmark {
  private static final String NS = "scale-bench";
  private static final long MIB = 1024L * 1024;

  private CacheScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 50_000);
    System.exit(0); // the shared API server's shutdown hook stops etcd and kube-apiserver
  }

  /** Runs the scenario once on the shared real API server and records its figures. */
  public static List<BenchResult> run(int n) throws Exception {
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      cluster.installCrds();
      KubernetesClient client = cluster.client();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .createOr(x -> x.update());
      long creating = System.nanoTime();
      endpoints(client, n);
      System.out.printf(
          "%,d endpoints with 10 pending updates each created in %.0f s%n",
          n, (System.nanoTime() - creating) / 1e9);
      for (var o :
          client.load(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8))).items()) {
        o.getMetadata().setNamespace(NS);
        client.resource(o).createOr(x -> x.update());
      }
      long before = heapAfterGc();
      long started = System.nanoTime();
      try (PatchwardenOperator operator =
          PatchwardenOperator.start(
              client,
              OperatorSettings.defaults()
                  .withLeaderElection(false)
                  .withManagementPort(0)
                  .withGateway(GatewaySettings.defaults().withPort(0))
                  .withWatchNamespaces(Set.of(NS)),
              Clock.systemUTC())) {
        double startReturned = (System.nanoTime() - started) / 1e9;
        Awaitility.await()
            .atMost(Duration.ofMinutes(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> reconciled(client, n));
        double firstReconcile = (System.nanoTime() - started) / 1e9;
        long held = Math.max(0, heapAfterGc() - before);
        String size = String.format("%,d endpoints cached", n);
        String jvm =
            "in-process; JVM flags "
                + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("-X"))
                    .toList();
        return List.of(
            BenchResult.figure(
                    "startup",
                    "operator start → first policy reconcile, " + size,
                    firstReconcile,
                    "s",
                    String.format(
                        "start() returned (informers synced) after %.1f s", startReturned))
                .record(),
            BenchResult.atMost(
                    "heap",
                    "operator heap after a full GC, " + size,
                    held / (double) MIB,
                    "MiB",
                    1024,
                    String.format("%,d bytes per endpoint; %s", held / n, jvm))
                .record());
      }
    }
  }

  /** The policy's status counts every endpoint: one full pass over the cache. */
  private static boolean reconciled(KubernetesClient client, int n) {
    PatchPolicy p = client.resources(PatchPolicy.class).inNamespace(NS).withName("all").get();
    return p != null
        && p.getStatus() != null
        && p.getStatus().getTargets() != null
        && p.getStatus().getTargets() == n;
  }

  @SuppressWarnings("java:S1215") // measuring retained heap needs a full collection
  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void endpoints(KubernetesClient client, int n) throws Exception {
    Endpoints.createInParallel(
        n,
        k -> Endpoints.withInventory(client, NS, "pc-" + k, Map.of("role", "laptop"), updates(k)));
  }

  /** Ten updates as apt reports them, five of them shared by every endpoint. */
  private static List<Object> updates(int k) {
    List<Object> out = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      Map<String, Object> update =
          new LinkedHashMap<>(
              Endpoints.security(
                  "pkg" + u + "=1." + (u < 5 ? u : k % 97) + "-1+deb12u1",
                  u % 3 == 0 ? "High" : "Medium",
                  u));
      update.put("version", "1." + (u < 5 ? u : k % 97) + "-1+deb12u1");
      update.put("installedVersion", "1.0-1");
      update.put("source", "Debian-Security:12/stable-security");
      out.add(update);
    }
    return out;
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
        mode: Audit
        groups: [all]
      """;
}
