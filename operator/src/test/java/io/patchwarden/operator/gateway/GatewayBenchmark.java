package io.patchwarden.operator.gateway;

import io.patchwarden.agent.simulator.Fleet;
import io.patchwarden.agent.simulator.FleetConfig;
import io.patchwarden.agent.simulator.FleetStats;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.bench.BenchResult;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The gateway benchmark (docs/benchmarks.md): a real kube-apiserver, the operator with its gateway,
 * and a simulated fleet checking in. After every agent has enrolled and reported once, it measures
 * over a window: check-ins per second, server-side p50/p99 latency (from the gateway's histogram)
 * and API writes per check-in. Not a test: run it with {@code make bench-gateway}.
 *
 * <p>Arguments: {@code [agents=10000] [checkinIntervalSeconds=10] [measureSeconds=60]}.
 */
public final class GatewayBenchmark {
  private static final String NS = "gateway-bench";
  private static final String TOKEN = "benchmark-token-0123456789abcdef";

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Duration interval = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    Duration window = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 60);
    run(agents, interval, window);
    System.exit(0); // the shared API server's shutdown hook stops etcd and kube-apiserver
  }

  /** Runs the scenario once on the shared real API server and records its figures. */
  public static List<BenchResult> run(int agents, Duration interval, Duration window)
      throws Exception {
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      cluster.installCrds();
      setUpEnrollment(cluster);
      OperatorSettings settings =
          OperatorSettings.defaults()
              .withLeaderElection(false)
              .withManagementPort(0)
              .withGateway(
                  GatewaySettings.defaults()
                      .withPort(0)
                      .withLimits(1024 * 1024, 5.0, 20)
                      .withIntervals(interval, Duration.ofMinutes(5)))
              .withWatchNamespaces(java.util.Set.of(NS));
      try (PatchwardenOperator operator =
          PatchwardenOperator.start(cluster.client(), settings, Clock.systemUTC())) {
        URI gateway = URI.create("http://127.0.0.1:" + operator.gatewayPort());
        URI metrics = URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics");
        FleetConfig config =
            FleetConfig.builder(gateway, TOKEN)
                .count(agents)
                .seed(42)
                .failureRate(0)
                .checkinInterval(interval)
                .rampUp(Duration.ofSeconds(Math.min(30, agents / 100 + 1)))
                .build();
        try (Fleet fleet = new Fleet(config)) {
          long started = System.nanoTime();
          fleet.start();
          warmUp(fleet, agents);
          System.out.printf(
              "warm-up: %d agents enrolled and reported once in %.0f s%n",
              agents, (System.nanoTime() - started) / 1e9);

          Scrape before = Scrape.of(metrics);
          FleetStats fleetBefore = fleet.stats();
          Thread.sleep(window.toMillis()); // the measurement window itself, not synchronisation
          Scrape after = Scrape.of(metrics);
          FleetStats fleetAfter = fleet.stats();

          return report(agents, interval, window, before, after, fleetBefore, fleetAfter);
        }
      }
    }
  }

  /** Every agent enrolled and checked in twice (the first check-in writes its inventory). */
  private static void warmUp(Fleet fleet, int agents) {
    Awaitility.await("warm-up of " + agents + " agents")
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(fleet::stats, s -> s.enrolled() >= agents && s.checkinsOk() >= 2L * agents);
  }

  private static List<BenchResult> report(
      int agents,
      Duration interval,
      Duration window,
      Scrape before,
      Scrape after,
      FleetStats fleetBefore,
      FleetStats fleetAfter) {
    double seconds = window.toMillis() / 1000.0;
    double checkins = after.checkinsOk - before.checkinsOk;
    double writes = after.statusWrites - before.statusWrites;
    System.out.printf("agents                          %d (check-in every %s)%n", agents, interval);
    System.out.printf("measured                        %.0f s%n", seconds);
    System.out.printf("check-ins/s (gateway, 200)      %.0f%n", checkins / seconds);
    System.out.printf(
        "check-ins/s (fleet, ok)         %.0f%n",
        (fleetAfter.checkinsOk() - fleetBefore.checkinsOk()) / seconds);
    System.out.printf(
        "server p50 / p99                %.1f ms / %.1f ms%n",
        after.quantile(before, 0.50) * 1000, after.quantile(before, 0.99) * 1000);
    System.out.printf(
        "client p50 / p99 (cumulative)   %.1f ms / %.1f ms%n",
        fleetAfter.checkinLatency().p50Millis(), fleetAfter.checkinLatency().p99Millis());
    System.out.printf(
        "API writes per check-in         %.4f%n", checkins == 0 ? 0 : writes / checkins);
    System.out.printf(
        "failed check-ins in window      %d (rate limited %d)%n",
        fleetAfter.checkinsFailed() - fleetBefore.checkinsFailed(),
        fleetAfter.rateLimited() - fleetBefore.rateLimited());
    String size =
        String.format("%,d agents every %ds, %.0f s window", agents, interval.toSeconds(), seconds);
    String offered =
        String.format("%.0f check-ins/s offered", agents / (double) interval.toSeconds());
    return List.of(
        BenchResult.atLeast(
                "gateway", "check-ins/s, " + size, checkins / seconds, "/s", 1000, offered)
            .record(),
        BenchResult.atMost(
                "gateway",
                "server-side p99, " + size,
                after.quantile(before, 0.99) * 1000,
                "ms",
                50,
                String.format("p50 %.1f ms", after.quantile(before, 0.50) * 1000))
            .record(),
        BenchResult.atMost(
                "gateway",
                "API writes per unchanged check-in, " + size,
                checkins == 0 ? 0 : writes / checkins,
                "",
                0.05,
                String.format(
                    "%d failed, %d rate-limited check-ins in the window",
                    fleetAfter.checkinsFailed() - fleetBefore.checkinsFailed(),
                    fleetAfter.rateLimited() - fleetBefore.rateLimited()))
            .record());
  }

  private static void setUpEnrollment(RealApiServerCluster cluster) {
    Enrollment.source(cluster.client(), NS);
    Enrollment.token(cluster.client(), NS, "bench-token", TOKEN, null);
  }

  /** The gateway's counters and check-in latency histogram at one moment. */
  private record Scrape(double checkinsOk, double statusWrites, TreeMap<Double, Double> buckets) {
    private static final Pattern SAMPLE =
        Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+|\\+Inf|NaN)$");

    static Scrape of(URI metrics) throws Exception {
      String text =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      double checkins = 0;
      double writes = 0;
      TreeMap<Double, Double> buckets = new TreeMap<>();
      for (String line : text.split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          continue;
        }
        Map<String, String> labels = labels(m.group(2));
        double value = Double.parseDouble(m.group(3));
        switch (m.group(1)) {
          case "patchwarden_gateway_requests_total" -> {
            if ("checkin".equals(labels.get("route")) && "200".equals(labels.get("code"))) {
              checkins += value;
            }
          }
          case "patchwarden_gateway_endpoint_writes_total" -> {
            if ("status".equals(labels.get("kind"))) {
              writes += value;
            }
          }
          case "patchwarden_gateway_request_duration_seconds_bucket" -> {
            if ("checkin".equals(labels.get("route"))) {
              String le = labels.get("le");
              buckets.put(
                  "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
            }
          }
          default -> {}
        }
      }
      return new Scrape(checkins, writes, buckets);
    }

    private static Map<String, String> labels(String text) {
      Map<String, String> labels = new TreeMap<>();
      for (String pair : text.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
      }
      return labels;
    }

    /** The q-quantile of the requests between {@code earlier} and this scrape, interpolated. */
    double quantile(Scrape earlier, double q) {
      double total = buckets.lastEntry().getValue() - earlier.buckets.lastEntry().getValue();
      double rank = q * total;
      double previousBound = 0;
      double previousCount = 0;
      for (var bucket : buckets.entrySet()) {
        double count = bucket.getValue() - earlier.buckets.getOrDefault(bucket.getKey(), 0.0);
        if (count >= rank) {
          if (bucket.getKey().isInfinite()) {
            return previousBound;
          }
          double share =
              count == previousCount ? 0 : (rank - previousCount) / (count - previousCount);
          return previousBound + share * (bucket.getKey() - previousBound);
        }
        previousBound = bucket.getKey();
        previousCount = count;
      }
      return previousBound;
    }
  }
}
