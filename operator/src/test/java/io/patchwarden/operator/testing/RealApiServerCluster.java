package io.patchwarden.operator.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A real kube-apiserver with etcd on loopback (Fabric8 kube-api-test, offline, binaries put in
 * place by {@code make kube-binaries}). One server is started per test JVM and shared by every test
 * class (each gets its own client and should use its own namespaces); it stops when the JVM exits.
 */
public final class RealApiServerCluster implements TestCluster {
  /** The version {@code hack/kube-binaries.sh} provides. */
  public static final String VERSION = "1.20.2";

  private static KubeAPIServer server;
  private static String kubeConfigYaml;

  private final KubernetesClient client;

  public RealApiServerCluster() {
    Config config = Config.fromKubeconfig(sharedKubeConfig());
    // If the API server dies, an in-flight call must fail rather than hang the build.
    config.setRequestTimeout(30_000);
    config.setConnectionTimeout(10_000);
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  private static synchronized String sharedKubeConfig() {
    if (server == null) {
      KubeAPIServer started = startServer();
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "kube-api-test-stop"));
      kubeConfigYaml = started.getKubeConfigYaml();
      server = started;
    }
    return kubeConfigYaml;
  }

  /**
   * Starts a new kube-apiserver with etcd on loopback from the binaries of {@code make
   * kube-binaries}; the caller stops it ({@link KubeAPIServer#stop()} kills both processes).
   */
  public static KubeAPIServer startServer() {
    String testDir = binariesRoot();
    checkBinaries(testDir);
    // kube-api-test 7.5.2's readiness poll compares LocalTime values (start + timeout), which wrap
    // at midnight: a start within the 60 s startup timeout of midnight fails. Wait that out.
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> LocalTime.now().isBefore(LocalTime.of(23, 59)));
    KubeAPIServer started =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir)
                .withApiServerVersion(VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(60_000)
                .build());
    started.start();
    return started;
  }

  private static String binariesRoot() {
    String fromEnv = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    return fromEnv != null && !fromEnv.isBlank()
        ? fromEnv
        : Path.of(System.getProperty("user.home"), ".kubeapitest").toString();
  }

  private static void checkBinaries(String testDir) {
    Path dir = Path.of(testDir, "k8s", VERSION + "-linux-amd64");
    List<String> missing =
        List.of("kube-apiserver", "etcd", "kubectl").stream()
            .filter(b -> !Files.isExecutable(dir.resolve(b)))
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "The real-API-server tests need "
              + missing
              + " in "
              + dir
              + ": run `make kube-binaries` (or `make test`, which runs it), or `make test-fast`"
              + " to skip this tier.");
    }
  }

  /** A kubeconfig for the shared server, for processes started by tests. */
  public String kubeConfigYaml() {
    return sharedKubeConfig();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean supportsServerSideApply() {
    return true;
  }

  @Override
  public boolean establishesCrds() {
    return true;
  }

  @Override
  public void close() {
    client.close();
  }
}
