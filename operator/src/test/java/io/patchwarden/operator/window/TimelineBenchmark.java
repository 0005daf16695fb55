package io.patchwarden.operator.window;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rough measurement, not a test: the average time of {@code nextOccurrences(now, 10)} for a few
 * kinds of window. Run with the test classpath: {@code java -cp ...
 * io.patchwarden.operator.window.TimelineBenchmark}.
 */
public final class TimelineBenchmark {
  private static final int WARM_UP = 2_000;
  private static final int MEASURED = 5_000;

  private TimelineBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> windows = new LinkedHashMap<>();
    windows.put(
        "weekly",
        """
        timeZone: Europe/Berlin
        recurrence: {weekly: {days: [Monday, Tuesday, Wednesday, Thursday, Friday]}}
        start: "18:30"
        duration: 3h
        """);
    windows.put(
        "monthly Patch Tuesday + 2",
        """
        timeZone: Europe/Berlin
        recurrence: {monthly: {week: Second, day: Tuesday, offsetDays: 2}}
        start: "21:00"
        duration: 4h
        """);
    windows.put(
        "cron 0 20 * * 1-5",
        """
        timeZone: Europe/Vienna
        recurrence: {cron: "0 20 * * 1-5"}
        duration: 2h
        """);
    windows.put(
        "cron 0 20 * * 1-5, 1-year exclusion",
        """
        timeZone: Europe/Vienna
        recurrence: {cron: "0 20 * * 1-5"}
        duration: 2h
        exclusions:
          - {name: freeze, from: "2027-01-01", to: "2027-12-31"}
        """);
    windows.put(
        "cron 0 * * * * for 2h (always open)",
        """
        timeZone: Europe/Vienna
        recurrence: {cron: "0 * * * *"}
        duration: 2h
        """);

    Instant now = Instant.parse("2026-12-30T12:00:00Z");
    for (Map.Entry<String, String> w : windows.entrySet()) {
      Timeline timeline =
          WindowSchedules.from(Serialization.unmarshal(w.getValue(), MaintenanceWindowSpec.class))
              .in(java.time.ZoneId.of("Europe/Vienna"));
      int measured = w.getKey().contains("always") ? MEASURED / 20 : MEASURED;
      run(timeline, now, WARM_UP / (measured == MEASURED ? 1 : 20));
      long began = System.nanoTime();
      int found = run(timeline, now, measured);
      double micros = (System.nanoTime() - began) / 1e3 / measured;
      System.out.printf("%-40s %9.1f µs/call (%d occurrences)%n", w.getKey(), micros, found);
    }
  }

  /** Queries from instants spread over a year, so that no single answer is cached anywhere. */
  private static int run(Timeline timeline, Instant now, int times) {
    int found = 0;
    for (int i = 0; i < times; i++) {
      Instant from = now.plus(Duration.ofMinutes(97L * i % (366 * 24 * 60)));
      found = timeline.nextOccurrences(from, 10).size();
    }
    return found;
  }
}
