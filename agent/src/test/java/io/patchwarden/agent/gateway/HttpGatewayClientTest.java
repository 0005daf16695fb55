package io.patchwarden.agent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchwarden.agent.FakeGateway;
import io.patchwarden.agent.FakeGateway.Canned;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.common.OsFamily;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpGatewayClientTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-20T10:00:00Z"), ZoneOffset.UTC);
  private static final String MACHINE = "3d1219c7c4c5404aaa1f6d2a48adfda4";

  private FakeGateway gateway;
  private HttpGatewayClient client;

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway(90);
    client = client(gateway.uri());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static HttpGatewayClient client(URI uri) {
    return new HttpGatewayClient(
        uri, HttpGatewayClient.httpClient(null, null), Duration.ofSeconds(5), CLOCK);
  }

  private static EnrollRequest enrollRequest(String token) {
    return new EnrollRequest(
        token, MACHINE, "pc-1", OsFamily.Debian, "Ubuntu", "24.04", "amd64", "UTC", "1", null);
  }

  private static CheckinRequest checkin() {
    return new CheckinRequest(
        new AgentInventory(
            "pc-1",
            OsFamily.Debian,
            "Ubuntu",
            "24.04",
            "6.8.0",
            "amd64",
            "UTC",
            "1",
            false,
            10,
            List.of(),
            "2025-03-20T10:00:00Z"));
  }

  private String enroll() throws InterruptedException {
    return GatewayClient.await(client.enroll(enrollRequest(FakeGateway.TOKEN))).credential();
  }

  @Test
  void enrollsThenChecksInAndReportsWithTheBearerCredential() throws Exception {
    EnrollResponse enrolled = GatewayClient.await(client.enroll(enrollRequest(FakeGateway.TOKEN)));
    assertThat(enrolled.namespace()).isEqualTo("acme");
    assertThat(enrolled.checkinIntervalSeconds()).isEqualTo(90);

    CheckinResponse response =
        GatewayClient.await(client.checkin(enrolled.credential(), checkin()));
    ResultAck ack =
        GatewayClient.await(
            client.report(
                enrolled.credential(),
                new ResultReport("run-1", List.of(), false, "2025-03-20T10:00:00Z")));

    assertThat(response.nextCheckinSeconds()).isEqualTo(90);
    assertThat(response.assignment()).isNull();
    assertThat(ack).isEqualTo(new ResultAck("run-1", false));
    assertThat(gateway.authorizations).containsOnly("Bearer " + FakeGateway.credentialOf(MACHINE));
    assertThat(gateway.lastCheckin.get(MACHINE).inventory().kernelVersion()).isEqualTo("6.8.0");
  }

  @Test
  void keepsAPathPrefixOfTheGatewayUrl() throws Exception {
    gateway.failNext(
        "/patchwarden/agent/v1/enroll",
        new Canned(200, Map.of(), "{\"namespace\":\"a\",\"name\":\"b\",\"credential\":\"c\"}"));
    HttpGatewayClient prefixed = client(URI.create(gateway.uri() + "/patchwarden"));

    assertThat(GatewayClient.await(prefixed.enroll(enrollRequest("x"))).credential())
        .isEqualTo("c");
    assertThat(gateway.paths).containsExactly("/patchwarden/agent/v1/enroll");
  }

  @Test
  void rejectionCarriesTheErrorResponse() {
    gateway.failNext(
        "/agent/v1/checkin",
        new Canned(
            400,
            Map.of(),
            "{\"error\":\"invalid_request\",\"message\":\"must be at most 253 characters\","
                + "\"field\":\"/inventory/hostname\"}"));

    assertThatThrownBy(() -> GatewayClient.await(client.checkin(enroll(), checkin())))
        .isInstanceOfSatisfying(
            GatewayRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("invalid_request");
              assertThat(e.error())
                  .hasValueSatisfying(r -> assertThat(r.field()).isEqualTo("/inventory/hostname"));
              assertThat(e.getMessage()).contains("/inventory/hostname");
            });
  }

  @Test
  void wrongTokenIsUnauthorized() {
    assertThatThrownBy(() -> GatewayClient.await(client.enroll(enrollRequest("wrong"))))
        .isInstanceOfSatisfying(
            GatewayRejectedException.class, e -> assertThat(e.unauthorized()).isTrue());
  }

  @Test
  void rateLimitCarriesRetryAfterInSecondsOrAsDate() throws Exception {
    String credential = enroll();
    gateway.failNext(
        "/agent/v1/checkin",
        new Canned(
            429, Map.of("Retry-After", "7"), "{\"error\":\"rate_limited\",\"message\":\"slow\"}"));
    gateway.failNext(
        "/agent/v1/checkin",
        new Canned(429, Map.of("Retry-After", "Thu, 20 Mar 2025 10:01:30 GMT"), ""));

    assertThatThrownBy(() -> GatewayClient.await(client.checkin(credential, checkin())))
        .isInstanceOfSatisfying(
            GatewayRejectedException.class,
            e -> {
              assertThat(e.rateLimited()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            });
    assertThatThrownBy(() -> GatewayClient.await(client.checkin(credential, checkin())))
        .isInstanceOfSatisfying(
            GatewayRejectedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("http_429");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
            });
  }

  @Test
  void serverErrorsAndProxyPagesMeanUnavailable() throws Exception {
    String credential = enroll();
    gateway.failNext(
        "/agent/v1/checkin", new Canned(503, Map.of("Retry-After", "30"), "<html>down</html>"));
    gateway.failNext("/agent/v1/checkin", new Canned(200, Map.of(), "<html>captive</html>"));

    assertThatThrownBy(() -> GatewayClient.await(client.checkin(credential, checkin())))
        .isInstanceOfSatisfying(
            GatewayUnavailableException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("http_503");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
            });
    assertThatThrownBy(() -> GatewayClient.await(client.checkin(credential, checkin())))
        .isInstanceOf(GatewayUnavailableException.class)
        .hasMessageContaining("unreadable answer");
  }

  @Test
  void noListenerMeansUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HttpGatewayClient nowhere = client(URI.create("http://127.0.0.1:" + port));

    assertThatThrownBy(() -> GatewayClient.await(nowhere.enroll(enrollRequest("t"))))
        .isInstanceOfSatisfying(
            GatewayUnavailableException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.code()).isEqualTo("io");
            });
  }
}
