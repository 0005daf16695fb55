package io.patchwarden.operator.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.patchwarden.operator.metrics.MetricNames;
import java.util.concurrent.TimeUnit;

/** Requests by route and status code, and their latency by route — never per endpoint. */
final class GatewayMetrics {
  private final MeterRegistry registry;

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String route, int status, long nanos) {
    Counter.builder(MetricNames.GATEWAY_REQUESTS)
        .description(MetricNames.GATEWAY_REQUESTS_HELP)
        .tag(MetricNames.ROUTE, route)
        .tag(MetricNames.CODE, Integer.toString(status))
        .register(registry)
        .increment();
    Timer.builder(MetricNames.GATEWAY_REQUEST_DURATION)
        .description(MetricNames.GATEWAY_REQUEST_DURATION_HELP)
        .tag(MetricNames.ROUTE, route)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
