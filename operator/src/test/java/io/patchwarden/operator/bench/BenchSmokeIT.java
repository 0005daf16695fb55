package io.patchwarden.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code make bench} with tiny sizes, so the benchmarks cannot rot between the runs that measure:
 * every scenario runs on the shared real API server and records its figures. The figures themselves
 * mean nothing at this size and are not judged.
 */
@Timeout(300)
class BenchSmokeIT {

  @Test
  void everyScenarioRunsAndRecordsItsFigures() throws Exception {
    List<BenchResult> results = BenchSuite.run(BenchSuite.Sizes.SMOKE);
    assertThat(results)
        .extracting(BenchResult::scenario)
        .contains("convergence", "gateway", "node-rollout", "startup", "heap");
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.value()).as(r.figure()).isFinite().isNotNegative();
              assertThat(r.unit()).as(r.figure()).isNotNull();
            });
    assertThat(results.stream().filter(r -> r.scenario().equals("gateway")))
        .as("some check-ins were measured")
        .anySatisfy(r -> assertThat(r.value()).isPositive());
  }
}
