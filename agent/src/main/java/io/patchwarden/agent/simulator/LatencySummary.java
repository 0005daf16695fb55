package io.patchwarden.agent.simulator;

import java.util.Locale;

/**
 * Latencies of one kind of call, in milliseconds. Percentiles are accurate to about 6%.
 *
 * @param count calls measured
 * @param meanMillis mean
 * @param p50Millis median
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis maximum
 */
public record LatencySummary(
    long count,
    double meanMillis,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    double maxMillis) {

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

  @Override
  public String toString() {
    return count == 0
        ? "no calls"
        : String.format(
            Locale.ROOT,
            "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, mean %.1f ms (%d calls)",
            p50Millis,
            p95Millis,
            p99Millis,
            maxMillis,
            meanMillis,
            count);
  }
}
