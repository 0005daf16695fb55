package io.patchwarden.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-20T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void readsSecondsAndDates() {
    assertThat(RetryAfter.parse("120", CLOCK)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Thu, 20 Mar 2025 10:00:10 GMT", CLOCK))
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void aDateInThePastMeansNow() {
    assertThat(RetryAfter.parse("Thu, 20 Mar 2025 09:00:00 GMT", CLOCK)).contains(Duration.ZERO);
  }

  @Test
  void ignoresGarbageAndCapsAbsurdWaits() {
    assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("-5", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("999999", CLOCK)).contains(RetryAfter.MAX);
  }
}
