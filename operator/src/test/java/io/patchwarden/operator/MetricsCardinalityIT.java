package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.Endpoints;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Metric labels never name a target: a fleet of 5,000 endpoints exports exactly the series a fleet
 * of 50 with the same variety exports. Counted on a real scrape of /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class MetricsCardinalityIT {
  private static final String NS = "cardinality-it";
  private RealApiServerCluster cluster;
  private PatchwardenOperator operator;

  @BeforeAll
  void start() throws Exception {
    cluster = new RealApiServerCluster();
    cluster.installCrds();
    cluster.createNamespace(NS);
    create(
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: EndpointGroup
        metadata: {name: laptops}
        spec:
          endpointSelector: {matchLabels: {role: laptop}}
        """);
    create(
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
        """);
    operator =
        PatchwardenOperator.start(
            client(),
            OperatorSettings.defaults()
                .withLeaderElection(false)
                .withManagementPort(0)
                .withGateway(GatewaySettings.defaults().withPort(0))
                .withWatchNamespaces(Set.of(NS)),
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
  void seriesDoNotGrowWithTargets() throws Exception {
    endpoints(0, 50);
    awaitTargets(50);
    Set<String> small = patchwardenSeries();

    endpoints(50, 5_000);
    awaitTargets(5_000);
    Set<String> large = patchwardenSeries();

    assertThat(small).as("series with 50 targets").hasSizeGreaterThan(20);
    assertThat(large).as("series with 5,000 targets").isEqualTo(small);
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private void create(String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    object.getMetadata().setNamespace(NS);
    client().resource(object).create();
  }

  /** Endpoints {@code from..to-1}, five kinds over and over: the same variety at any size. */
  private void endpoints(int from, int to) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int i = from; i < to; i++) {
        int n = i;
        work.add(
            () -> {
              Endpoints.withInventory(
                  client(), NS, "pc-" + n, Map.of("role", "laptop"), updates(n % 5));
              return null;
            });
      }
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Object> updates(int kind) {
    return switch (kind) {
      case 0 -> List.of();
      case 1 -> List.of(Endpoints.security("curl=8.5", "High", 1));
      case 2 -> List.of(Endpoints.security("openssl=3.0.15", "Critical", 30));
      case 3 ->
          List.of(
              Endpoints.security("zlib=1.3", "Low", 2), Endpoints.security("curl=8.5", "High", 20));
      default -> List.of(Endpoints.security("bash=5.2", "Medium", 3));
    };
  }

  private void awaitTargets(int targets) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              PatchPolicy p =
                  client().resources(PatchPolicy.class).inNamespace(NS).withName("laptops").get();
              return p.getStatus() != null
                  && p.getStatus().getTargets() != null
                  && p.getStatus().getTargets() == targets;
            });
  }

  /** Names with labels of every patchwarden_ series on /metrics (values dropped). */
  private Set<String> patchwardenSeries() throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Set<String> series = new TreeSet<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("patchwarden_")) {
        series.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return series;
  }
}
