package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.MockServerCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Request logs never contain a token or a credential: the gateway runs over HTTP against the
 * Fabric8 mock server with every logger at DEBUG (the gateway's, Fabric8's, the JDK HTTP server's),
 * is driven through enrollment, check-in and results, successes and failures, and every captured
 * line is searched for each secret in every form it travels in.
 */
class GatewayLogsTest {
  private static final String TOKEN = "log-test-enrollment-token-6f1d2c9a";
  private static final String EXPIRED_TOKEN = "log-test-expired-token-41b7e0d3";
  private static final String NS = "logs-office";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MOCK_SERVER_LOGGERS =
      "(?s)\\w+ io\\.fabric8\\.(kubernetes\\.client\\.server\\.mock|mockwebserver)\\..*";

  @Test
  void noTokenOrCredentialAppearsInAnyLogLineAtDebug() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    List<String> secrets = new ArrayList<>(List.of(TOKEN, EXPIRED_TOKEN, b64(TOKEN)));
    MockServerCluster cluster = new MockServerCluster();
    // No retries, so the 503 path below answers at once once the API server is gone.
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(cluster.client().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    try (Capture capture = new Capture(lines, Level.DEBUG);
        client) {
      Enrollment.source(cluster.client(), NS);
      Enrollment.token(cluster.client(), NS, "laptops", TOKEN, "role=laptop");
      cluster
          .client()
          .secrets()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(NS)
                  .withName("last-year")
                  .addToLabels(EnrollmentSecrets.TOKEN_LABEL, "true")
                  .addToAnnotations(EnrollmentSecrets.EXPIRES_AT, "2020-01-01T00:00:00Z")
                  .endMetadata()
                  .addToData(EnrollmentSecrets.TOKEN_KEY, b64(EXPIRED_TOKEN))
                  .build())
          .create();
      // Bursts of 4: the three refused (401) requests below leave this source one more try, and
      // the endpoint's budget runs out within the loop (a slow refill keeps that deterministic).
      GatewaySettings settings =
          GatewaySettings.defaults().withPort(0).withLimits(64 * 1024, 0.2, 4);
      try (KubernetesEndpointStore store = new KubernetesEndpointStore(client, Set.of());
          GatewayServer server =
              GatewayServer.start(
                  new AgentGateway(
                      store,
                      settings,
                      Clock.systemUTC(),
                      new SimpleMeterRegistry(),
                      GatewayServer.refreshExecutor()),
                  settings,
                  new SimpleMeterRegistry())) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port() + "/agent/v1/";
        URI enroll = URI.create(base + "enroll");
        URI checkin = URI.create(base + "checkin");
        URI result = URI.create(base + "result");

        HttpResponse<String> enrolled =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () -> post(http, enroll, body(TOKEN, "log-machine-00001"), null),
                    r -> r.statusCode() == 200);
        JsonNode answer = JSON.readTree(enrolled.body());
        String credential = answer.get("credential").asText();
        secrets.add(credential);
        secrets.add(credential.substring(credential.lastIndexOf('.') + 1));

        // Failures that carry a secret: wrong, expired, malformed, too large, wrong route.
        assertThat(post(http, enroll, body(EXPIRED_TOKEN, "log-machine-00002"), null).statusCode())
            .isEqualTo(401);
        assertThat(post(http, enroll, body(TOKEN + "x", "log-machine-00003"), null).statusCode())
            .isEqualTo(401);
        assertThat(
                post(http, enroll, "{\"token\": \"" + TOKEN + "\", \"machineId\": 7", null)
                    .statusCode())
            .isEqualTo(400);
        assertThat(
                post(
                        http,
                        enroll,
                        body(TOKEN, "log-machine-00004").replace("Debian", "Plan9"),
                        null)
                    .statusCode())
            .isEqualTo(400);
        assertThat(post(http, checkin, "{\"token\": \"" + TOKEN + "\"}", credential).statusCode())
            .isEqualTo(400);
        assertThat(post(http, checkin, GatewaySecurityTest.CHECKIN, credential + "x").statusCode())
            .isEqualTo(401);
        assertThat(
                post(http, URI.create(base + "nope"), GatewaySecurityTest.CHECKIN, credential)
                    .statusCode())
            .isEqualTo(404);
        assertThat(
                post(http, checkin, "{\"pad\": \"" + "x".repeat(70_000) + "\"}", credential)
                    .statusCode())
            .isEqualTo(413);

        // Successes, and the endpoint's budget running out.
        assertThat(post(http, checkin, GatewaySecurityTest.CHECKIN, credential).statusCode())
            .isEqualTo(200);
        assertThat(
                post(http, result, GatewaySecurityTest.RESULT.formatted(1), credential)
                    .statusCode())
            .isEqualTo(200);
        int status = 200;
        for (int i = 0; i < 5 && status != 429; i++) {
          status = post(http, checkin, GatewaySecurityTest.CHECKIN, credential).statusCode();
        }
        assertThat(status).isEqualTo(429);

        // Re-enrollment issues a second credential; then the API goes away (503 path).
        HttpResponse<String> again = post(http, enroll, body(TOKEN, "log-machine-00001"), null);
        assertThat(again.statusCode()).isEqualTo(200);
        String second = JSON.readTree(again.body()).get("credential").asText();
        secrets.add(second);
        cluster.close();
        assertThat(post(http, enroll, body(TOKEN, "log-machine-00001"), null).statusCode())
            .isEqualTo(503);
      }
    } finally {
      cluster.close();
    }

    assertThat(lines)
        .as("the capture saw the gateway's own lines")
        .anyMatch(l -> l.contains("Enrolled endpoint " + NS + "/"))
        .anyMatch(l -> l.contains("Kubernetes API call failed"));
    assertThat(lines).as("DEBUG lines were captured too").anyMatch(l -> l.startsWith("DEBUG"));
    // The mock server stands in for the API server, which stores the token Secret and may log it
    // (a real API server's audit policy decides that); its lines are not the gateway's logs.
    List<String> ours = lines.stream().filter(l -> !l.matches(MOCK_SERVER_LOGGERS)).toList();
    assertThat(ours).hasSizeGreaterThan(lines.size() / 4);
    for (String secret : secrets) {
      assertThat(ours).as("log lines containing a secret").noneMatch(l -> l.contains(secret));
    }
  }

  private static String body(String token, String machineId) {
    return GatewaySecurityTest.enrollBody(token, machineId);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String body, String credential)
      throws Exception {
    return GatewaySecurityTest.post(http, uri, body, credential);
  }

  /**
   * Every logback logger at {@code level} into {@code lines} (level, logger, message, stack trace),
   * and the JDK HTTP server's java.util.logging output as well; restored on close.
   */
  static final class Capture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<Logger, Level> previous = new HashMap<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final java.util.logging.Logger jdk =
        java.util.logging.Logger.getLogger("com.sun.net.httpserver");
    private final java.util.logging.Level jdkLevel = jdk.getLevel();
    private final java.util.logging.Handler handler;
    private final List<String> lines;

    Capture(List<String> lines, Level level) {
      this.lines = lines;
      for (Logger logger : context.getLoggerList()) {
        if (logger.getLevel() != null) {
          previous.put(logger, logger.getLevel());
          logger.setLevel(level);
        }
      }
      appender.setContext(context);
      appender.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
      handler =
          new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
              String message =
                  r.getParameters() == null
                      ? r.getMessage()
                      : java.text.MessageFormat.format(
                          String.valueOf(r.getMessage()), r.getParameters());
              lines.add("JUL " + r.getLoggerName() + " " + message);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      jdk.setLevel(java.util.logging.Level.ALL);
      jdk.addHandler(handler);
    }

    @Override
    public void close() {
      for (ILoggingEvent e : appender.list) {
        String line = e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage();
        if (e.getThrowableProxy() != null) {
          line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
        }
        lines.add(line);
      }
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
      previous.forEach(Logger::setLevel);
      jdk.removeHandler(handler);
      jdk.setLevel(jdkLevel);
    }
  }
}
