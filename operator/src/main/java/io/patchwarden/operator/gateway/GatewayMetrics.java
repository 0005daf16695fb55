package io.patchwarden.operator.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.patchwarden.operator.metrics.MetricNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Requests by route and status code, and their latency by route — never per endpoint. */
final class GatewayMetrics {
  private final MeterRegistry registry;
  // Looked up once per route and code rather than built and registered on every request.
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String route, int status, long nanos) {
    requests
        .computeIfAbsent(
            route + " " + status,
            key ->
                Counter.builder(MetricNames.GATEWAY_REQUESTS)
                    .description(MetricNames.GATEWAY_REQUESTS_HELP)
                    .tag(MetricNames.ROUTE, route)
                    .tag(MetricNames.CODE, Integer.toString(status))
                    .register(registry))
        .increment();
    durations
        .computeIfAbsent(
            route,
            key ->
                Timer.builder(MetricNames.GATEWAY_REQUEST_DURATION)
                    .description(MetricNames.GATEWAY_REQUEST_DURATION_HELP)
                    .tag(MetricNames.ROUTE, route)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
