package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;

/**
 * The Fabric8 mock server in CRUD mode. It has no server-side apply, no schema or CEL validation,
 * ignores set-based selectors and treats status writes as main-resource writes: use it to test
 * wiring only.
 */
public final class MockServerCluster implements TestCluster {
  /** The mock logs every request at INFO through java.util.logging; keep the build log readable. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockServerCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    client = server.createClient();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean supportsServerSideApply() {
    return false;
  }

  @Override
  public boolean establishesCrds() {
    return false;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }
}
