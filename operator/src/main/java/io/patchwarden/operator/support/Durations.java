package io.patchwarden.operator.support;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Patchwarden durations ({@code 30m}, {@code 4h}, {@code 2d}, {@code 1d12h}, {@code 90s}).
 * Days are 24 hours of elapsed time. The schema already checks the shape; this also rejects the
 * empty string and values above {@link #MAX}.
 */
public final class Durations {
  /**
   * The longest duration accepted: 100 years. The schema admits any number of digits, and a longer
   * value added to an instant (a deadline, a staleness threshold, a soak) leaves the range of
   * {@link java.time.Instant}; no patch process needs more.
   */
  public static final Duration MAX = Duration.ofDays(36_500);

  private static final Pattern SHAPE =
      Pattern.compile("^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$");

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a message suitable for a condition, when the value is not
   *     a duration
   */
  public static Duration parse(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("is empty; expected e.g. 30m, 4h or 2d");
    }
    Matcher m = SHAPE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; expected e.g. 30m, 4h, 2d or 1d12h");
    }
    Duration d;
    try {
      d =
          Duration.ofDays(group(m, 1))
              .plusHours(group(m, 2))
              .plusMinutes(group(m, 3))
              .plusSeconds(group(m, 4));
    } catch (ArithmeticException | NumberFormatException e) {
      d = null;
    }
    if (d == null || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "'" + value + "' is too large; at most " + format(MAX) + " (100 years)");
    }
    return d;
  }

  /** The inverse of {@link #parse}: {@code 1d12h}, {@code 30m}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long seconds = d.getSeconds();
    StringBuilder text = new StringBuilder();
    append(text, seconds / 86_400, "d");
    append(text, seconds % 86_400 / 3_600, "h");
    append(text, seconds % 3_600 / 60, "m");
    append(text, seconds % 60, "s");
    return text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }

  private static long group(Matcher m, int index) {
    String g = m.group(index);
    return g == null ? 0 : Long.parseLong(g);
  }
}
