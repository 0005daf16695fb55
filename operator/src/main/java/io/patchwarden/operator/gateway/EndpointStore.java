package io.patchwarden.operator.gateway;

import io.patchwarden.api.endpoint.ManagedEndpoint;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway needs from Kubernetes. The implementation reads from informer caches; tests use
 * an in-memory one. Writes touch only the named endpoint.
 */
public interface EndpointStore {

  /** The enrollment tokens of every namespace labelled as an enrollment source. */
  Collection<EnrollmentToken> enrollmentTokens();

  /** The endpoint, from the cache or, if the cache has not seen it yet, from the API. */
  Optional<ManagedEndpoint> endpoint(String namespace, String name);

  /** The endpoint as the API has it now, bypassing the cache. */
  Optional<ManagedEndpoint> endpointFromApi(String namespace, String name);

  /**
   * Creates an endpoint.
   *
   * @throws AlreadyExists if one of that name exists (a concurrent enrollment)
   */
  ManagedEndpoint create(ManagedEndpoint endpoint);

  /** JSON-merge-patches the given top-level status fields of one endpoint. */
  void patchStatus(String namespace, String name, Map<String, Object> statusFields);

  /** Raised by {@link #create} when the name is taken. */
  final class AlreadyExists extends RuntimeException {
    public AlreadyExists(String message) {
      super(message);
    }
  }
}
