package io.patchwarden.agent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Property
  void aValueFallsIntoABucketThatHoldsItWithinSixPercent(
      @ForAll @LongRange(min = 0, max = 1L << 39) long micros) {
    int index = LatencyHistogram.index(micros);
    long upper = LatencyHistogram.upperBound(index);
    assertThat(upper).isGreaterThanOrEqualTo(micros);
    assertThat(upper - micros).isLessThanOrEqualTo(Math.max(1, micros / 16));
    if (index > 0) {
      assertThat(LatencyHistogram.upperBound(index - 1)).isLessThan(micros);
    }
  }

  @Test
  void percentilesOfAKnownDistribution() {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms = 1; ms <= 1000; ms++) {
      h.record(ms * 1_000_000L);
    }

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50Millis()).isCloseTo(500, within(32.0));
    assertThat(s.p95Millis()).isCloseTo(950, within(60.0));
    assertThat(s.p99Millis()).isCloseTo(990, within(62.0));
    assertThat(s.maxMillis()).isEqualTo(1000);
    assertThat(s.meanMillis()).isCloseTo(500.5, within(0.01));
  }

  @Test
  void emptyHistogram() {
    assertThat(new LatencyHistogram().summary()).isEqualTo(LatencySummary.EMPTY);
    assertThat(LatencySummary.EMPTY.toString()).isEqualTo("no calls");
  }
}
