package io.patchwarden.operator.gateway;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.PatchwardenApi;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's view of Kubernetes, from its own informers (the gateway serves in every replica,
 * not only in the leader that runs the controllers): token Secrets and enrollment namespaces
 * selected by label, and ManagedEndpoints ({@code inform()} returns once each cache is filled).
 * Writes are JSON merge patches of one endpoint's status.
 */
public final class KubernetesEndpointStore implements EndpointStore, AutoCloseable {
  private final KubernetesClient client;
  private final List<SharedIndexInformer<Secret>> secrets;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ManagedEndpoint> endpoints;

  /**
   * @param secretNamespaces read enrollment-token Secrets in these namespaces only, one informer
   *     each, so that RBAC need grant Secrets nowhere else; empty: in every namespace
   */
  public KubernetesEndpointStore(KubernetesClient client, Set<String> secretNamespaces) {
    this.client = client;
    this.secrets =
        secretNamespaces.isEmpty()
            ? List.of(
                client
                    .secrets()
                    .inAnyNamespace()
                    .withLabel(EnrollmentSecrets.TOKEN_LABEL, "true")
                    .inform())
            : secretNamespaces.stream()
                .sorted()
                .map(
                    ns ->
                        client
                            .secrets()
                            .inNamespace(ns)
                            .withLabel(EnrollmentSecrets.TOKEN_LABEL, "true")
                            .inform())
                .toList();
    this.namespaces =
        client.namespaces().withLabel(PatchwardenApi.ENROLLMENT_SOURCE_LABEL, "true").inform();
    this.endpoints = client.resources(ManagedEndpoint.class).inAnyNamespace().inform();
  }

  @Override
  public Collection<EnrollmentToken> enrollmentTokens() {
    return secrets.stream()
        .flatMap(informer -> informer.getStore().list().stream())
        .filter(s -> namespaces.getStore().getByKey(s.getMetadata().getNamespace()) != null)
        .map(EnrollmentSecrets::parse)
        .flatMap(Optional::stream)
        .toList();
  }

  @Override
  public Optional<ManagedEndpoint> endpoint(String namespace, String name) {
    ManagedEndpoint cached = endpoints.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    if (cached != null) {
      return Optional.of(cached);
    }
    return endpointFromApi(namespace, name);
  }

  @Override
  public Optional<ManagedEndpoint> endpointFromApi(String namespace, String name) {
    return Optional.ofNullable(
        client.resources(ManagedEndpoint.class).inNamespace(namespace).withName(name).get());
  }

  @Override
  public ManagedEndpoint create(ManagedEndpoint endpoint) {
    try {
      return client.resource(endpoint).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new AlreadyExists(e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void patchStatus(String namespace, String name, Map<String, Object> statusFields) {
    String patch = Serialization.asJson(Map.of("status", statusFields));
    client
        .resources(ManagedEndpoint.class)
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  @Override
  public void close() {
    secrets.forEach(SharedIndexInformer::close);
    namespaces.close();
    endpoints.close();
  }
}
