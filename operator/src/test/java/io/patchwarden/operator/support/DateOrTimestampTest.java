package io.patchwarden.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DateOrTimestampTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aDateCoversTheWholeDayInTheGivenZone() {
    DateOrTimestamp d = DateOrTimestamp.parse("2026-12-20");

    assertThat(d.isDate()).isTrue();
    assertThat(d.start(BERLIN)).isEqualTo(Instant.parse("2026-12-19T23:00:00Z"));
    assertThat(d.endExclusive(BERLIN)).isEqualTo(Instant.parse("2026-12-20T23:00:00Z"));
  }

  @Test
  void aTimestampIsThatInstantWhateverTheZone() {
    DateOrTimestamp t = DateOrTimestamp.parse("2026-12-20T08:30:00+01:00");

    assertThat(t.isDate()).isFalse();
    assertThat(t.start(BERLIN)).isEqualTo(Instant.parse("2026-12-20T07:30:00Z"));
    assertThat(t.endExclusive(ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-12-20T07:30:00Z"));
  }

  @Test
  void rejectsImpossibleDates() {
    assertThatThrownBy(() -> DateOrTimestamp.parse("2026-02-30"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2026-02-30");
  }
}
