package io.patchwarden.agent.simulator;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free latency histogram with log-linear buckets (16 per power of two, in microseconds): a
 * fixed few kilobytes whether it records a hundred calls or a hundred million, which keeping every
 * sample of a long benchmark would not be.
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 4;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 40; // 2^40 µs: 12 days, more than any call takes

  private final AtomicLongArray buckets = new AtomicLongArray(SUB + (MAX_EXPONENT - 3) * SUB);
  private final LongAdder count = new LongAdder();
  private final LongAdder sumMicros = new LongAdder();
  private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

  void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    buckets.incrementAndGet(index(micros));
    count.increment();
    sumMicros.add(micros);
    maxMicros.accumulate(micros);
  }

  static int index(long micros) {
    if (micros < SUB) {
      return (int) micros;
    }
    int exponent = Math.min(63 - Long.numberOfLeadingZeros(micros), MAX_EXPONENT);
    int shift = exponent - SUB_BITS;
    int sub = (int) ((micros >>> shift) & (SUB - 1));
    return SUB + (exponent - SUB_BITS) * SUB + sub;
  }

  /** The largest value that falls into the bucket. */
  static long upperBound(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = (index - SUB) / SUB + SUB_BITS;
    int sub = (index - SUB) % SUB;
    int shift = exponent - SUB_BITS;
    return ((long) (SUB + sub) << shift) + (1L << shift) - 1;
  }

  LatencySummary summary() {
    long n = count.sum();
    if (n == 0) {
      return LatencySummary.EMPTY;
    }
    long[] counts = new long[buckets.length()];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buckets.get(i);
      total += counts[i];
    }
    long max = maxMicros.get();
    return new LatencySummary(
        n,
        sumMicros.sum() / (double) n / 1000.0,
        Math.min(percentile(counts, total, 0.50), max) / 1000.0,
        Math.min(percentile(counts, total, 0.95), max) / 1000.0,
        Math.min(percentile(counts, total, 0.99), max) / 1000.0,
        max / 1000.0);
  }

  private static long percentile(long[] counts, long total, double q) {
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) {
        return upperBound(i);
      }
    }
    return 0;
  }
}
