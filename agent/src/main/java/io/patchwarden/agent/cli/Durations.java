package io.patchwarden.agent.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the CRDs write them ({@code 60s}, {@code 5m}, {@code 1h30m}, {@code 2d}), plain
 * seconds, or ISO-8601 ({@code PT1M}).
 */
final class Durations {
  private static final Pattern SHORT =
      Pattern.compile("^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");

  private Durations() {}

  static Duration parse(String text) {
    String t = text.strip();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not a duration");
      }
    }
    Matcher m = SHORT.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 60s, 5m, 1h30m or 2d");
    }
    return Duration.ofDays(value(m, 1))
        .plusHours(value(m, 2))
        .plusMinutes(value(m, 3))
        .plusSeconds(value(m, 4))
        .plusMillis(value(m, 5));
  }

  private static long value(Matcher m, int group) {
    return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
  }
}
