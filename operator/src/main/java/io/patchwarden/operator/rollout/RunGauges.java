package io.patchwarden.operator.rollout;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.operator.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges of each policy's current run, from the last plan: set, never counted, so they cannot
 * drift; gone when the run finishes or the policy is deleted. Labels: namespace, policy, wave,
 * result — never a target.
 */
public final class RunGauges {
  private record Key(String namespace, String policy) {}

  private final Map<Key, Plan> plans = new ConcurrentHashMap<>();
  private final MultiGauge targets;
  private final MultiGauge halted;

  public RunGauges(MeterRegistry registry) {
    targets =
        MultiGauge.builder(MetricNames.RUN_TARGETS)
            .description(MetricNames.RUN_TARGETS_HELP)
            .register(registry);
    halted =
        MultiGauge.builder(MetricNames.RUN_HALTED)
            .description(MetricNames.RUN_HALTED_HELP)
            .register(registry);
  }

  void put(String namespace, String policy, Plan plan) {
    if (plan.finished()) {
      remove(namespace, policy);
    } else {
      plans.put(new Key(namespace, policy), plan);
    }
  }

  public void remove(String namespace, String policy) {
    plans.remove(new Key(namespace, policy));
  }

  public void refresh() {
    List<MultiGauge.Row<?>> targetRows = new ArrayList<>();
    List<MultiGauge.Row<?>> haltedRows = new ArrayList<>();
    plans.forEach(
        (key, plan) -> {
          Tags tags =
              Tags.of(MetricNames.NAMESPACE, key.namespace(), MetricNames.POLICY, key.policy());
          for (Plan.WaveCounts c : plan.waves()) {
            Tags wave = tags.and(MetricNames.WAVE, c.name());
            targetRows.add(MultiGauge.Row.of(wave.and(MetricNames.RESULT, "pending"), c.pending()));
            targetRows.add(
                MultiGauge.Row.of(wave.and(MetricNames.RESULT, "assigned"), c.assigned()));
            targetRows.add(
                MultiGauge.Row.of(wave.and(MetricNames.RESULT, "succeeded"), c.succeeded()));
            targetRows.add(MultiGauge.Row.of(wave.and(MetricNames.RESULT, "failed"), c.failed()));
            targetRows.add(MultiGauge.Row.of(wave.and(MetricNames.RESULT, "skipped"), c.skipped()));
          }
          haltedRows.add(MultiGauge.Row.of(tags, plan.phase() == Plan.Phase.Halted ? 1 : 0));
        });
    targets.register(targetRows, true);
    halted.register(haltedRows, true);
  }
}
