package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.operator.CrdInstaller;

/**
 * A Kubernetes API that tests run against: the Fabric8 mock server (fast, for wiring) or a real
 * kube-apiserver (for anything whose meaning depends on API semantics). Tests written against this
 * interface run on either.
 */
public interface TestCluster extends AutoCloseable {

  KubernetesClient client();

  /** Whether the API supports server-side apply (the mock server does not). */
  boolean supportsServerSideApply();

  /**
   * Whether this is a real API server. The mock server loses updates when two clients write the
   * same object at once (the gateway's inventory and the operator's conditions on one endpoint), so
   * scenarios with several writers run on the real server only.
   */
  default boolean realApiServer() {
    return establishesCrds();
  }

  /** Whether CRDs become Established (a real API server) or are merely stored (the mock). */
  boolean establishesCrds();

  /** Installs Patchwarden's generated CRDs. */
  default void installCrds() {
    CrdInstaller.install(client(), establishesCrds());
  }

  /**
   * Creates a namespace unless it exists (a real API server requires one before namespaced objects,
   * and the real server is shared between test classes).
   */
  default void createNamespace(String name) {
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  @Override
  void close();
}
