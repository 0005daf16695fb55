package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Patterns;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The shared regular expressions accept exactly the documented forms. */
class PatternsPropertyTest {

  private static final Pattern DURATION = Pattern.compile(Patterns.DURATION);
  private static final Pattern TIME_OF_DAY = Pattern.compile(Patterns.TIME_OF_DAY);
  private static final Pattern DATE = Pattern.compile(Patterns.DATE);
  private static final Pattern CVE = Pattern.compile(Patterns.CVE_ID);

  @Property
  void durationsInDayHourMinuteSecondOrderMatch(
      @ForAll @IntRange(min = 0, max = 400) int d,
      @ForAll @IntRange(min = 0, max = 48) int h,
      @ForAll @IntRange(min = 0, max = 120) int m,
      @ForAll boolean withDays,
      @ForAll boolean withMinutes) {
    String text = (withDays ? d + "d" : "") + h + "h" + (withMinutes ? m + "m" : "");
    assertThat(DURATION.matcher(text).matches()).as(text).isTrue();
  }

  @Property
  void durationsWithUnitsOutOfOrderOrSpacesDoNotMatch(
      @ForAll @IntRange(min = 1, max = 99) int a, @ForAll @IntRange(min = 1, max = 99) int b) {
    assertThat(DURATION.matcher(a + "h" + b + "d").matches()).isFalse();
    assertThat(DURATION.matcher(a + " h").matches()).isFalse();
    assertThat(DURATION.matcher(a + "w").matches()).isFalse();
    assertThat(DURATION.matcher("-" + a + "h").matches()).isFalse();
  }

  @Property
  void everyClockTimeMatchesAndNothingPast2359(
      @ForAll @IntRange(min = 0, max = 99) int hour,
      @ForAll @IntRange(min = 0, max = 99) int minute) {
    String text = String.format("%02d:%02d", hour, minute);
    assertThat(TIME_OF_DAY.matcher(text).matches()).as(text).isEqualTo(hour < 24 && minute < 60);
  }

  @Property
  void datesHaveValidMonthAndDayRanges(
      @ForAll @IntRange(min = 1970, max = 2100) int year,
      @ForAll @IntRange(min = 0, max = 13) int month,
      @ForAll @IntRange(min = 0, max = 32) int day) {
    String text = String.format("%04d-%02d-%02d", year, month, day);
    boolean plausible = month >= 1 && month <= 12 && day >= 1 && day <= 31;
    assertThat(DATE.matcher(text).matches()).as(text).isEqualTo(plausible);
  }

  @Property
  void cveIdsNeedAFourDigitYearAndAtLeastFourDigits(
      @ForAll @IntRange(min = 1999, max = 2099) int year,
      @ForAll @IntRange(min = 0, max = 9_999_999) int number,
      @ForAll @StringLength(max = 3) String junk) {
    String id = String.format("CVE-%d-%04d", year, number);
    assertThat(CVE.matcher(id).matches()).as(id).isTrue();
    assertThat(CVE.matcher(id.toLowerCase()).matches()).isFalse();
    assertThat(CVE.matcher(String.format("CVE-%d-%03d", year, number % 1000)).matches()).isFalse();
    if (!junk.isEmpty()) {
      assertThat(CVE.matcher(id + " " + junk).matches()).isFalse();
    }
  }
}
