package io.patchwarden.agent.simulator;

import io.patchwarden.agent.gateway.GatewayException;
import io.patchwarden.agent.gateway.GatewayUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link FleetStats}; contention-free for thousands of endpoints. */
final class FleetCounters {
  final LongAdder enrolled = new LongAdder();
  final LongAdder enrollFailures = new LongAdder();
  final LongAdder checkinsOk = new LongAdder();
  final LongAdder checkinsFailed = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder assignmentsReceived = new LongAdder();
  final LongAdder assignmentsExpired = new LongAdder();
  final LongAdder installs = new LongAdder();
  final LongAdder updatesInstalled = new LongAdder();
  final LongAdder updatesFailed = new LongAdder();
  final LongAdder resultsReported = new LongAdder();
  final LongAdder resultsDuplicate = new LongAdder();
  final LongAdder resultFailures = new LongAdder();
  final LongAdder deferred = new LongAdder();
  final LatencyHistogram enrollLatency = new LatencyHistogram();
  final LatencyHistogram checkinLatency = new LatencyHistogram();
  final LatencyHistogram resultLatency = new LatencyHistogram();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  void error(Throwable failure) {
    String code =
        failure instanceof GatewayException g ? g.code() : failure.getClass().getSimpleName();
    errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    if (failure instanceof GatewayException g && g.status() == 429) {
      rateLimited.increment();
    }
  }

  static GatewayException asGatewayException(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof GatewayException)) {
      cause = cause.getCause();
    }
    return cause instanceof GatewayException g
        ? g
        : new GatewayUnavailableException(0, null, String.valueOf(cause), cause);
  }

  FleetStats snapshot(int endpoints, Duration elapsed) {
    Map<String, Long> errorCounts = new HashMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    return new FleetStats(
        endpoints,
        (int) enrolled.sum(),
        enrollFailures.sum(),
        checkinsOk.sum(),
        checkinsFailed.sum(),
        rateLimited.sum(),
        assignmentsReceived.sum(),
        assignmentsExpired.sum(),
        installs.sum(),
        updatesInstalled.sum(),
        updatesFailed.sum(),
        resultsReported.sum(),
        resultsDuplicate.sum(),
        resultFailures.sum(),
        deferred.sum(),
        errorCounts,
        enrollLatency.summary(),
        checkinLatency.summary(),
        resultLatency.summary(),
        elapsed);
  }
}
