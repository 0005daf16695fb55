package io.patchwarden.operator.gateway;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link EndpointStore} in memory that counts writes, for protocol tests. */
final class InMemoryEndpointStore implements EndpointStore {
  final List<EnrollmentToken> tokens = new ArrayList<>();
  final Map<String, ManagedEndpoint> endpoints = new ConcurrentHashMap<>();
  int creates;
  int statusPatches;
  int apiReads;

  @Override
  public Collection<EnrollmentToken> enrollmentTokens() {
    return List.copyOf(tokens);
  }

  @Override
  public Optional<ManagedEndpoint> endpoint(String namespace, String name) {
    return Optional.ofNullable(endpoints.get(namespace + "/" + name)).map(Serialization::clone);
  }

  @Override
  public Optional<ManagedEndpoint> endpointFromApi(String namespace, String name) {
    apiReads++;
    return endpoint(namespace, name);
  }

  @Override
  public ManagedEndpoint create(ManagedEndpoint endpoint) {
    String key = endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName();
    if (endpoints.putIfAbsent(key, Serialization.clone(endpoint)) != null) {
      throw new AlreadyExists(key);
    }
    creates++;
    return endpoint;
  }

  @Override
  public void patchStatus(String namespace, String name, Map<String, Object> statusFields) {
    ManagedEndpoint endpoint = endpoints.get(namespace + "/" + name);
    if (endpoint == null) {
      throw new IllegalStateException("no endpoint " + namespace + "/" + name);
    }
    // A JSON merge patch of top-level status fields, as the real store sends it.
    Map<String, Object> status =
        endpoint.getStatus() == null
            ? new java.util.HashMap<>()
            : Serialization.jsonMapper().convertValue(endpoint.getStatus(), Map.class);
    status.putAll(Serialization.jsonMapper().convertValue(statusFields, Map.class));
    endpoint.setStatus(
        Serialization.jsonMapper().convertValue(status, ManagedEndpointStatus.class));
    statusPatches++;
  }

  ManagedEndpoint only() {
    assert endpoints.size() == 1 : endpoints.keySet();
    return endpoints.values().iterator().next();
  }
}
