package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator, started as `make run` starts it: the shaded jar, a kubeconfig file, CRDs
 * installed at start, JSON logs; it becomes ready, reconciles, and stops cleanly on SIGTERM.
 * Catches what in-process tests cannot (a dependency missing from the jar, configuration from env).
 */
@Timeout(180)
class MainIT {
  private static final Path JAR = Path.of("target", "patchwarden-operator.jar");
  private static final String NS = "main-it";

  @Test
  void thePackagedOperatorStartsReconcilesAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    assertThat(JAR).as("the shaded jar (built by `mvn package`)").exists();
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeConfigYaml());
      Path log = dir.resolve("operator.log");
      int port = freePort();

      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-jar",
                  JAR.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      var env = builder.environment();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("PATCHWARDEN_INSTALL_CRDS", "true");
      env.put("PATCHWARDEN_LEADER_ELECTION", "false");
      env.put("PATCHWARDEN_MANAGEMENT_ADDRESS", "127.0.0.1");
      env.put("PATCHWARDEN_MANAGEMENT_PORT", Integer.toString(port));
      env.put("PATCHWARDEN_LOG_FORMAT", "json");
      env.put("PATCHWARDEN_GATEWAY_PORT", "0");
      Process process = builder.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(90))
            .ignoreExceptions()
            .failFast("the operator exited; see " + log, () -> !process.isAlive())
            .until(() -> status(http, "http://127.0.0.1:" + port + "/readyz") == 200);

        cluster.createNamespace(NS);
        cluster.client().resource(window()).create();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    Conditions.of(
                            cluster
                                .client()
                                .resources(MaintenanceWindow.class)
                                .inNamespace(NS)
                                .withName("nightly")
                                .get()
                                .getStatus(),
                            "Ready")
                        .map(c -> c.getStatus() == ConditionStatus.TRUE)
                        .orElse(false));
      } finally {
        process.destroy(); // SIGTERM
      }
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(process.exitValue()).as("exit code after SIGTERM").isIn(0, 143);

      List<String> lines = Files.readAllLines(log);
      assertThat(lines).isNotEmpty();
      ObjectMapper json = new ObjectMapper();
      for (String line : lines) {
        JsonNode entry = json.readTree(line);
        assertThat(entry.has("level") || entry.has("message"))
            .as("structured log line: %s", line)
            .isTrue();
      }
    }
  }

  private static MaintenanceWindow window() {
    return Serialization.unmarshal(
        """
        apiVersion: patchwarden.io/v1alpha1
        kind: MaintenanceWindow
        metadata: {name: nightly, namespace: %s}
        spec:
          recurrence: {weekly: {days: [Monday, Tuesday]}}
          start: "23:00"
          duration: 1h
        """
            .formatted(NS),
        MaintenanceWindow.class);
  }

  private static int status(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
