package io.patchwarden.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class BackoffTest {

  @Property
  void neverExceedsTheCapNorGoesBelowHalfTheStep(
      @ForAll @IntRange(min = 1, max = 200) int failures,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
    Backoff backoff = new Backoff(() -> draw);
    Duration last = Duration.ZERO;
    for (int i = 0; i < failures; i++) {
      last = backoff.failure(Optional.empty());
    }
    assertThat(last).isLessThanOrEqualTo(Backoff.MAX);
    assertThat(last).isGreaterThanOrEqualTo(Backoff.INITIAL.dividedBy(2));
  }

  @Property
  void neverRetriesBeforeRetryAfter(
      @ForAll @IntRange(min = 0, max = 3600) int seconds,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
    Duration wait = new Backoff(() -> draw).failure(Optional.of(Duration.ofSeconds(seconds)));
    assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(seconds));
    assertThat(wait.toMillis()).isLessThanOrEqualTo(seconds * 1100L);
  }
}
