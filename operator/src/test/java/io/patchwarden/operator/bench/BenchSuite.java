package io.patchwarden.operator.bench;

import io.patchwarden.operator.gateway.GatewayBenchmark;
import io.patchwarden.operator.inventory.CacheScaleBenchmark;
import io.patchwarden.operator.node.NodeRolloutBenchmark;
import io.patchwarden.operator.policy.PolicyEvaluationBenchmark;
import io.patchwarden.operator.rollout.RolloutBenchmark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code make bench}: every scenario of docs/benchmarks.md in one JVM against one real API server,
 * each appending its figures to {@code -Dbench.out}. {@code --smoke} runs them with tiny sizes (the
 * CI's check that they still work, not a measurement).
 */
public final class BenchSuite {
  private BenchSuite() {}

  /** Sizes of one run. */
  record Sizes(
      int policyTargets,
      int policyUpdates,
      int policyRounds,
      List<Integer> convergence,
      int agents,
      Duration interval,
      Duration window,
      int nodes,
      int cached) {
    static final Sizes FULL =
        new Sizes(
            50_000,
            40,
            15,
            List.of(1_000, 10_000),
            10_000,
            Duration.ofSeconds(8),
            Duration.ofSeconds(330),
            100,
            50_000);
    static final Sizes SMOKE =
        new Sizes(500, 5, 3, List.of(20), 20, Duration.ofSeconds(2), Duration.ofSeconds(4), 2, 100);
  }

  public static void main(String[] args) throws Exception {
    run(List.of(args).contains("--smoke") ? Sizes.SMOKE : Sizes.FULL);
    System.exit(0); // the shared API server's shutdown hook stops etcd and kube-apiserver
  }

  static List<BenchResult> run(Sizes sizes) throws Exception {
    List<BenchResult> out = new ArrayList<>();
    PolicyEvaluationBenchmark.main(
        new String[] {
          Integer.toString(sizes.policyTargets()),
          Integer.toString(sizes.policyUpdates()),
          Integer.toString(sizes.policyRounds())
        });
    for (int n : sizes.convergence()) {
      out.addAll(RolloutBenchmark.run(n));
    }
    out.addAll(GatewayBenchmark.run(sizes.agents(), sizes.interval(), sizes.window()));
    out.addAll(NodeRolloutBenchmark.run(sizes.nodes()));
    // Last: it leaves the most objects in the API server.
    out.addAll(CacheScaleBenchmark.run(sizes.cached()));
    return out;
  }
}
