package io.patchwarden.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"30m,PT30M", "4h,PT4H", "2d,PT48H", "1d12h,PT36H", "90s,PT1M30S", "0m,PT0S"})
  void parsesEachUnit(String value, String expected) {
    assertThat(Durations.parse(value)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "0", "4 hours", "4H", "m", "1h1d", "-1h", "1.5h", "99999999999999999999d"})
  void rejectsWhatIsNotADuration(String value) {
    assertThatThrownBy(() -> Durations.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"36501d", "876001h", "9819162196274h", "99999999999999d", "0d0h0m9999999999s"})
  void rejectsDurationsThatWouldLeaveTheRangeOfAnInstant(String value) {
    // Found by GroupSpecFuzzPropertiesTest: the schema admits any digits, and a staleAfter of
    // 9819162196274h made every group census throw DateTimeException out of reconcile.
    assertThatThrownBy(() -> Durations.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + value + "' is too large; at most 36500d (100 years)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"36500d", "876000h", "3153600000s"})
  void acceptsAHundredYears(String value) {
    assertThat(Durations.parse(value)).isEqualTo(Durations.MAX);
    assertThat(java.time.Instant.MAX.minus(Durations.MAX)).isAfter(java.time.Instant.now());
  }

  @Property(tries = 300)
  void everyCombinationOfUnitsAddsUp(
      @ForAll @IntRange(max = 400) int d,
      @ForAll @IntRange(max = 48) int h,
      @ForAll @IntRange(max = 120) int m) {
    String text = (d > 0 ? d + "d" : "") + (h > 0 ? h + "h" : "") + m + "m";
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofDays(d).plusHours(h).plusMinutes(m));
  }

  @Property(tries = 300)
  void formatIsTheInverseOfParse(@ForAll @IntRange(max = 10_000_000) int seconds) {
    Duration d = Duration.ofSeconds(seconds);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @ParameterizedTest
  @CsvSource({"PT36H,1d12h", "PT30M,30m", "PT0S,0s", "PT1M30S,1m30s", "P7D,7d"})
  void formatsInTheShortestForm(String duration, String expected) {
    assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
  }
}
