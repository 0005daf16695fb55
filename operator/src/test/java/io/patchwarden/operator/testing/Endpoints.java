package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ManagedEndpoints as an agent would leave them, written straight to the API (no gateway). */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Creates the endpoint, then reports an inventory seen just now through the status subresource (a
   * JSON patch: the mock server merges lists in a merge patch instead of replacing them).
   */
  public static void withInventory(
      KubernetesClient client,
      String namespace,
      String name,
      Map<String, String> labels,
      List<Object> pendingUpdates) {
    ManagedEndpoint e = new ManagedEndpoint();
    e.getMetadata().setName(name);
    e.getMetadata().setNamespace(namespace);
    e.getMetadata().setLabels(labels);
    e.setSpec(new ManagedEndpointSpec());
    e.getSpec().setMachineId("machine-" + name);
    client.resource(e).create();
    Map<String, Object> inventory = new LinkedHashMap<>();
    inventory.put("hostname", name);
    inventory.put("pendingUpdates", pendingUpdates);
    String lastSeen = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Map<String, Object>> ops =
        List.of(
            Map.of(
                "op",
                "add",
                "path",
                "/status",
                "value",
                Map.of("lastSeen", lastSeen, "inventory", inventory)));
    client
        .resources(ManagedEndpoint.class)
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
  }

  /** A pending security update {@code package=version}, released some days ago. */
  public static Map<String, Object> security(String id, String severity, long releasedDaysAgo) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("id", id);
    u.put("package", id.substring(0, id.indexOf('=')));
    u.put("classification", "Security");
    u.put("severity", severity);
    u.put("releaseDate", LocalDate.now(ZoneOffset.UTC).minusDays(releasedDaysAgo).toString());
    return u;
  }

  /**
   * Calls {@code create} for 0..n-1 on 16 threads and waits for all: fixtures of tens of thousands
   * of endpoints for benchmarks, where one API call after the other would take many minutes.
   */
  public static void createInParallel(int n, java.util.function.IntConsumer create)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Callable<Void>> work = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        work.add(
            () -> {
              create.accept(k);
              return null;
            });
      }
      for (java.util.concurrent.Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
