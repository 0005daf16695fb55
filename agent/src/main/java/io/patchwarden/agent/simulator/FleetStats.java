package io.patchwarden.agent.simulator;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of what a fleet did so far.
 *
 * @param endpoints virtual endpoints in the fleet
 * @param enrolled endpoints that hold a credential
 * @param enrollFailures failed enrollment attempts (each is retried)
 * @param checkinsOk successful check-ins
 * @param checkinsFailed failed check-ins (rate limited ones included)
 * @param rateLimited answers with 429, on any call
 * @param assignmentsReceived new assignments seen in check-ins
 * @param assignmentsExpired new assignments seen only after their installUntil (not installed)
 * @param installs assignments installed
 * @param updatesInstalled updates installed (Installed or PendingReboot)
 * @param updatesFailed updates that failed to install
 * @param resultsReported results the gateway acknowledged
 * @param resultsDuplicate of those, results the gateway already had
 * @param resultFailures failed attempts to report (each is retried)
 * @param deferred calls that waited for a slot because maxInFlight requests were open
 * @param errors failed calls by cause (error code, http_503, io)
 * @param enrollLatency latency of successful enrollments
 * @param checkinLatency latency of successful check-ins
 * @param resultLatency latency of successful result reports
 * @param elapsed time since the fleet started
 */
public record FleetStats(
    int endpoints,
    int enrolled,
    long enrollFailures,
    long checkinsOk,
    long checkinsFailed,
    long rateLimited,
    long assignmentsReceived,
    long assignmentsExpired,
    long installs,
    long updatesInstalled,
    long updatesFailed,
    long resultsReported,
    long resultsDuplicate,
    long resultFailures,
    long deferred,
    Map<String, Long> errors,
    LatencySummary enrollLatency,
    LatencySummary checkinLatency,
    LatencySummary resultLatency,
    @JsonIgnore Duration elapsed) {

  public FleetStats {
    errors = Map.copyOf(errors);
  }

  /** For JSON readers, which have no Duration type. */
  @JsonProperty
  public double elapsedSeconds() {
    return elapsed.toMillis() / 1000.0;
  }

  /** Successful check-ins per second since the start. */
  @JsonProperty
  public double checkinsPerSecond() {
    double seconds = elapsed.toMillis() / 1000.0;
    return seconds <= 0 ? 0 : checkinsOk / seconds;
  }

  /** What the simulate command prints at the end. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    line(s, "Fleet of %d endpoints after %.1f s", endpoints, elapsed.toMillis() / 1000.0);
    line(s, "  enrolled          %d (%d failed attempts)", enrolled, enrollFailures);
    line(
        s,
        "  check-ins         %d ok, %d failed, %d rate limited (%.1f/s)",
        checkinsOk,
        checkinsFailed,
        rateLimited,
        checkinsPerSecond());
    line(s, "  check-in latency  %s", checkinLatency);
    line(s, "  enroll latency    %s", enrollLatency);
    line(s, "  result latency    %s", resultLatency);
    line(
        s,
        "  assignments       %d received, %d expired before install, %d installed",
        assignmentsReceived,
        assignmentsExpired,
        installs);
    line(s, "  updates           %d installed, %d failed", updatesInstalled, updatesFailed);
    line(
        s,
        "  results           %d reported (%d duplicate), %d failed attempts",
        resultsReported,
        resultsDuplicate,
        resultFailures);
    if (deferred > 0) {
      line(s, "  deferred calls    %d (maxInFlight reached)", deferred);
    }
    if (!errors.isEmpty()) {
      line(s, "  errors            %s", new TreeMap<>(errors));
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String format, Object... args) {
    s.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
