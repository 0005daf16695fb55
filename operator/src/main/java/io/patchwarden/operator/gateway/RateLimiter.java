package io.patchwarden.operator.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets per key (an endpoint, or a client address for enrollment): {@code burst} requests
 * at once, refilled at {@code perSecond}. Bounded: the least recently used keys are forgotten
 * beyond {@code maxKeys}, so a flood of made-up keys cannot exhaust memory.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double tokens;
    long updatedNanos;
  }

  public RateLimiter(double perSecond, int burst, int maxKeys, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** Takes a token; {@link Duration#ZERO} when allowed, else how long to wait (Retry-After). */
  public synchronized Duration tryAcquire(String key) {
    Bucket b = refilled(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return Duration.ZERO;
    }
    return waitFor(b);
  }

  /** Like {@link #tryAcquire} but takes nothing: how long until a request would be allowed. */
  public synchronized Duration check(String key) {
    Bucket b = refilled(key);
    return b.tokens >= 1 ? Duration.ZERO : waitFor(b);
  }

  private Bucket refilled(String key) {
    long now = clock.millis() * 1_000_000L;
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.updatedNanos = now;
      buckets.put(key, b);
    }
    double elapsed = Math.max(0, now - b.updatedNanos) / 1e9;
    b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
    b.updatedNanos = now;
    return b;
  }

  private Duration waitFor(Bucket b) {
    double wait = (1 - b.tokens) / perSecond;
    return Duration.ofMillis((long) Math.ceil(wait * 1000));
  }
}
