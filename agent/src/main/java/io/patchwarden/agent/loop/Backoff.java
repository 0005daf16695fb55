package io.patchwarden.agent.loop;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait after consecutive failures: doubling from {@link #INITIAL} up to {@link #MAX},
 * each wait drawn from its upper half so that agents that failed together (a gateway restart) do
 * not come back together. A {@code Retry-After} from the gateway takes precedence: it knows best
 * when it can take the request.
 */
public final class Backoff {

  public static final Duration INITIAL = Duration.ofSeconds(5);
  public static final Duration MAX = Duration.ofMinutes(5);

  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random uniform draws in [0, 1)
   */
  public Backoff(DoubleSupplier random) {
    this.random = random;
  }

  /** Records a failure and returns the wait before the next attempt. */
  public Duration failure(Optional<Duration> retryAfter) {
    failures++;
    if (retryAfter.isPresent()) {
      // Never earlier than asked; a little later, spread, so a rate limit is not hit again at once.
      long ms = retryAfter.get().toMillis();
      return Duration.ofMillis(ms + (long) (ms * 0.1 * random.getAsDouble()));
    }
    long ceiling = INITIAL.toMillis() << Math.min(failures - 1, 16);
    ceiling = Math.min(ceiling, MAX.toMillis());
    return Duration.ofMillis(ceiling / 2 + (long) (ceiling / 2.0 * random.getAsDouble()));
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
