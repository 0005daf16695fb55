package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transient API errors (409 conflicts, timeouts) are retried with backoff and never abandoned. */
class TransientErrorRetryTest {

  @Test
  void backsOffExponentiallyFromHalfASecondToFiveMinutesAndNeverGivesUp() {
    RetryExecution execution = PatchwardenOperator.transientErrorRetry().initExecution();
    List<Long> delays = new ArrayList<>();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      delays.add(execution.nextDelay().orElseThrow(() -> new AssertionError("gave up")));
    }

    assertThat(delays.subList(0, 4)).containsExactly(500L, 500L, 1_000L, 2_000L);
    assertThat(delays).isSorted();
    assertThat(delays.get(delays.size() - 1)).isEqualTo(300_000L);
  }
}
