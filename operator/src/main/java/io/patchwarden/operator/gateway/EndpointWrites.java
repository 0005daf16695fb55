package io.patchwarden.operator.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.operator.metrics.MetricNames;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the Kubernetes API writes the gateway makes, so "writes per check-in" can be watched in
 * production and measured in the benchmark.
 */
final class EndpointWrites implements EndpointStore {
  private final EndpointStore delegate;
  private final Counter creates;
  private final Counter statusPatches;

  EndpointWrites(EndpointStore delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.creates = counter(registry, "create");
    this.statusPatches = counter(registry, "status");
  }

  private static Counter counter(MeterRegistry registry, String kind) {
    return Counter.builder(MetricNames.GATEWAY_WRITES)
        .description(MetricNames.GATEWAY_WRITES_HELP)
        .tag(MetricNames.KIND, kind)
        .register(registry);
  }

  @Override
  public Collection<EnrollmentToken> enrollmentTokens() {
    return delegate.enrollmentTokens();
  }

  @Override
  public Optional<ManagedEndpoint> endpoint(String namespace, String name) {
    return delegate.endpoint(namespace, name);
  }

  @Override
  public Optional<ManagedEndpoint> endpointFromApi(String namespace, String name) {
    return delegate.endpointFromApi(namespace, name);
  }

  @Override
  public ManagedEndpoint create(ManagedEndpoint endpoint) {
    ManagedEndpoint created = delegate.create(endpoint);
    creates.increment();
    return created;
  }

  @Override
  public void patchStatus(String namespace, String name, Map<String, Object> statusFields) {
    delegate.patchStatus(namespace, name, statusFields);
    statusPatches.increment();
  }
}
