package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent protocol against an in-memory store: what is answered and what is written. */
class AgentGatewayTest {
  private static final String TOKEN = "office-laptops-0123456789abcdef";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private InMemoryEndpointStore store;
  private AgentGateway gateway;

  @BeforeEach
  void setUp() {
    store = new InMemoryEndpointStore();
    store.tokens.add(
        new EnrollmentToken(
            "office",
            "laptops-token",
            TOKEN,
            T0.plus(Duration.ofDays(30)),
            Map.of("role", "laptop")));
    gateway = new AgentGateway(store, GatewaySettings.defaults(), clock);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String enrollBody(String token, String machineId) {
    return """
        {"token": "%s", "machineId": "%s", "hostname": "pc-17", "osFamily": "Debian",
         "osName": "Ubuntu", "osVersion": "24.04", "architecture": "amd64",
         "timeZone": "Europe/Berlin", "labels": {"role": "server", "site": "berlin"}}
        """
        .formatted(token, machineId);
  }

  private static final String INVENTORY =
      """
      {"inventory": {"hostname": "pc-17", "osFamily": "Debian", "osName": "Ubuntu",
        "osVersion": "24.04", "kernelVersion": "6.8.0-45-generic", "rebootRequired": false,
        "installedUpdateCount": 1712, "scannedAt": "%s",
        "pendingUpdates": [
          {"id": "openssl=3.0.13-0ubuntu3.4", "package": "openssl", "version": "3.0.13-0ubuntu3.4",
           "classification": "Security", "severity": "High", "cves": ["CVE-2024-6119"],
           "releaseDate": "2024-09-03"},
          {"id": "vim=2:9.1.0016-1ubuntu7.3", "package": "vim", "classification": "Bugfix"}]}}
      """;

  private String enroll() {
    GatewayResponse r = gateway.enroll(json(enrollBody(TOKEN, "4c4c4544-0042-3510")), "10.0.0.7");
    assertThat(r.status()).as("enroll answer %s", r.body()).isEqualTo(200);
    return "Bearer " + ((EnrollResponse) r.body()).credential();
  }

  @Test
  void enrollmentCreatesOneEndpointStoringOnlyTheCredentialHash() {
    GatewayResponse r = gateway.enroll(json(enrollBody(TOKEN, "4c4c4544-0042-3510")), "10.0.0.7");

    assertThat(r.status()).isEqualTo(200);
    EnrollResponse answer = (EnrollResponse) r.body();
    assertThat(answer.namespace()).isEqualTo("office");
    assertThat(answer.checkinIntervalSeconds()).isEqualTo(60);
    ManagedEndpoint endpoint = store.only();
    assertThat(endpoint.getMetadata().getName()).isEqualTo(answer.name());
    assertThat(endpoint.getSpec().getMachineId()).isEqualTo("4c4c4544-0042-3510");
    assertThat(endpoint.getSpec().getDisplayName()).isEqualTo("pc-17");
    assertThat(endpoint.getMetadata().getLabels())
        .as("the token's labels win over the agent's proposals")
        .containsEntry("role", "laptop")
        .containsEntry("site", "berlin");
    assertThat(endpoint.getStatus().getCredential().getSha256())
        .isEqualTo(Credentials.sha256(answer.credential()));
    assertThat(Serialization.asJson(endpoint)).doesNotContain(answer.credential());
    assertThat(endpoint.getStatus().getEnrolledAt()).isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void reEnrollingTheSameMachineReusesItsEndpointAndRevokesTheOldCredential() {
    String first = enroll();
    clock.advance(Duration.ofHours(1));
    String second = enroll();

    assertThat(store.endpoints).hasSize(1);
    assertThat(store.creates).isEqualTo(1);
    assertThat(store.only().getStatus().getEnrolledAt()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), first).status()).isEqualTo(401);
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), second).status()).isEqualTo(200);
  }

  @Test
  void unknownAndExpiredTokensGet401WithoutDetailAndWriteNothing() {
    GatewayResponse unknown =
        gateway.enroll(json(enrollBody("not-the-token-at-all-xyz", "4c4c4544-0042-3510")), "a");
    clock.advance(Duration.ofDays(31));
    GatewayResponse expired = gateway.enroll(json(enrollBody(TOKEN, "4c4c4544-0042-3510")), "b");

    assertThat(unknown.status()).isEqualTo(401);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(((ErrorResponse) expired.body()).message())
        .as("whoever holds an expired token may learn that it expired, and nothing else")
        .contains("expired")
        .doesNotContain("office", "laptops-token");
    assertThat(((ErrorResponse) unknown.body()).message()).doesNotContain("office", "expired");
    assertThat(store.endpoints).isEmpty();
  }

  @Test
  void malformedBodiesGet400NamingTheFieldAndWriteNothing() {
    assertThat(badRequest(gateway.enroll(json("{not json"), "a"))).isEqualTo("");
    assertThat(
            badRequest(
                gateway.enroll(
                    json(enrollBody(TOKEN, "m-123456789").replace("Debian", "Plan9")), "b")))
        .isEqualTo("/osFamily");
    assertThat(
            badRequest(
                gateway.enroll(
                    json(enrollBody(TOKEN, "m-123456789").replace("Europe/Berlin", "Mars/Base")),
                    "c")))
        .isEqualTo("/timeZone");
    assertThat(badRequest(gateway.enroll(json(enrollBody(TOKEN, "short")), "d")))
        .isEqualTo("/machineId");
    assertThat(store.endpoints).isEmpty();

    String credential = enroll();
    int writes = store.statusPatches;
    String badCve = INVENTORY.formatted(T0).replace("CVE-2024-6119", "CVE-24-1");
    assertThat(badRequest(gateway.checkin(json(badCve), credential)))
        .isEqualTo("/inventory/pendingUpdates/0/cves/0");
    assertThat(badRequest(gateway.checkin(json("{\"inventory\": {\"osFamily\": 7}}"), credential)))
        .isEqualTo("/inventory/osFamily");
    assertThat(badRequest(gateway.result(json("{\"updates\": []}"), credential))).isEqualTo("/run");
    assertThat(store.statusPatches).as("nothing written").isEqualTo(writes);
  }

  private static String badRequest(GatewayResponse r) {
    assertThat(r.status()).as("%s", r.body()).isEqualTo(400);
    return ((ErrorResponse) r.body()).field();
  }

  @Test
  void checkinWritesTheInventoryOnceAndThenOnlyRefreshesLastSeenEveryFiveMinutes() {
    String credential = enroll();
    int afterEnroll = store.statusPatches;

    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), credential).status()).isEqualTo(200);
    assertThat(store.statusPatches).isEqualTo(afterEnroll + 1);
    var inventory = store.only().getStatus().getInventory();
    assertThat(inventory.getPendingUpdateCount()).isEqualTo(2);
    assertThat(inventory.getPendingSecurityUpdateCount()).isEqualTo(1);
    assertThat(inventory.getPendingBySeverity().getHigh()).isEqualTo(1);
    assertThat(inventory.getPendingBySeverity().getUnspecified()).isEqualTo(1);
    assertThat(inventory.getPendingBySeverity().getCritical()).isZero();
    assertThat(inventory.getPendingUpdates().get(0).getPackageName()).isEqualTo("openssl");

    for (int minute = 1; minute <= 3; minute++) {
      clock.advance(Duration.ofMinutes(1));
      gateway.checkin(json(INVENTORY.formatted(clock.instant())), credential);
    }
    assertThat(store.statusPatches)
        .as("unchanged check-ins write nothing")
        .isEqualTo(afterEnroll + 1);

    // lastSeen is refreshed after 75-100% of the 5 minutes (spread per endpoint), then not again.
    for (int minute = 4; minute <= 5; minute++) {
      clock.advance(Duration.ofMinutes(1));
      gateway.checkin(json(INVENTORY.formatted(clock.instant())), credential);
    }
    assertThat(store.statusPatches).isEqualTo(afterEnroll + 2);
    assertThat(store.only().getStatus().getLastSeen())
        .isIn("2026-11-23T10:04:00Z", "2026-11-23T10:05:00Z");

    clock.advance(Duration.ofSeconds(30));
    gateway.checkin(
        json(INVENTORY.formatted(clock.instant()).replace("false", "true")), credential);
    assertThat(store.statusPatches).as("a change is written at once").isEqualTo(afterEnroll + 3);
    assertThat(store.only().getStatus().getInventory().getRebootRequired()).isTrue();
  }

  @Test
  void theCheckinAnswerCarriesTheAssignment() {
    String credential = enroll();
    ManagedEndpoint endpoint = store.only();
    endpoint
        .getSpec()
        .setAssignment(
            Serialization.unmarshal(
                "{\"run\": \"laptops-security-7\", \"updates\": [{\"id\": \"openssl=3.0.13\"}],"
                    + " \"installUntil\": \"2026-11-23T20:00:00Z\"}",
                io.patchwarden.api.endpoint.Assignment.class));

    CheckinResponse answer =
        (CheckinResponse) gateway.checkin(json(INVENTORY.formatted(T0)), credential).body();

    assertThat(answer.assignment().getRun()).isEqualTo("laptops-security-7");
    assertThat(answer.nextCheckinSeconds()).isEqualTo(60);
  }

  @Test
  void aCredentialOnlyOpensItsOwnEndpoint() {
    String mine = enroll();
    GatewayResponse other =
        gateway.enroll(json(enrollBody(TOKEN, "another-machine-0001")), "10.0.0.8");
    String theirs = "Bearer " + ((EnrollResponse) other.body()).credential();
    String theirName = ((EnrollResponse) other.body()).name();

    // Forge a credential that names their endpoint but carries my secret.
    String mySecret = mine.substring(mine.lastIndexOf('.') + 1);
    String forged = theirs.substring(0, theirs.lastIndexOf('.') + 1) + mySecret;

    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), forged).status()).isEqualTo(401);
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), "Bearer pw1.garbage").status())
        .isEqualTo(401);
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), null).status()).isEqualTo(401);
    assertThat(store.endpoints.get("office/" + theirName).getStatus().getInventory()).isNull();
  }

  @Test
  void resultsAreRecordedOncePerRun() {
    String credential = enroll();
    String report =
        """
        {"run": "laptops-security-7", "rebootPending": true, "finishedAt": "2026-11-23T19:10:00Z",
         "updates": [{"id": "openssl=3.0.13", "result": "Installed"},
                     {"id": "vim=9.1", "result": "Failed", "message": "dpkg lock held"}]}
        """;

    GatewayResponse first = gateway.result(json(report), credential);
    int writes = store.statusPatches;
    GatewayResponse again = gateway.result(json(report), credential);

    assertThat(((ResultAck) first.body()).duplicate()).isFalse();
    assertThat(((ResultAck) again.body()).duplicate()).isTrue();
    assertThat(store.statusPatches).isEqualTo(writes);
    var recorded = store.only().getStatus().getLastResult();
    assertThat(recorded.getRun()).isEqualTo("laptops-security-7");
    assertThat(recorded.getUpdates()).hasSize(2);
    assertThat(recorded.getRebootPending()).isTrue();
  }

  @Test
  void tooManyRequestsFromOneEndpointGet429WithRetryAfter() {
    gateway =
        new AgentGateway(store, GatewaySettings.defaults().withLimits(1024 * 1024, 1.0, 3), clock);
    String credential = enroll();
    int writes = store.statusPatches;
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), credential).status())
          .isEqualTo(200);
    }
    GatewayResponse limited = gateway.checkin(json(INVENTORY.formatted(T0)), credential);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.retryAfter()).isPositive();
    assertThat(store.statusPatches).isEqualTo(writes + 1); // only the first check-in wrote
    clock.advance(Duration.ofSeconds(1));
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), credential).status()).isEqualTo(200);
  }

  @Test
  void guessingTokensFromOneAddressIsSlowedButBulkEnrollmentIsNot() {
    for (int i = 0; i < 10; i++) {
      assertThat(
              gateway
                  .enroll(
                      json(enrollBody("wrong-token-guess-" + i, "machine-" + i + "-0000")),
                      "10.9.9.9")
                  .status())
          .isEqualTo(401);
    }
    GatewayResponse blocked =
        gateway.enroll(json(enrollBody(TOKEN, "4c4c4544-0042-3510")), "10.9.9.9");
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.retryAfter()).isPositive();

    for (int i = 0; i < 50; i++) {
      assertThat(
              gateway
                  .enroll(json(enrollBody(TOKEN, "office-pc-" + i + "-0000")), "10.0.0.1")
                  .status())
          .isEqualTo(200);
    }
    assertThat(store.endpoints).hasSize(50);
  }

  @Test
  void aLastSeenRefreshIsWrittenAfterTheAnswerAndOnlyOnceWhilePending() {
    java.util.List<Runnable> queued = new java.util.ArrayList<>();
    gateway =
        new AgentGateway(
            store,
            GatewaySettings.defaults(),
            clock,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            queued::add);
    String credential = enroll();
    gateway.checkin(json(INVENTORY.formatted(T0)), credential); // inventory: written at once
    int written = store.statusPatches;

    clock.advance(Duration.ofMinutes(6));
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), credential).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    assertThat(gateway.checkin(json(INVENTORY.formatted(T0)), credential).status()).isEqualTo(200);

    assertThat(store.statusPatches).as("not on the request path").isEqualTo(written);
    assertThat(queued).as("one refresh in flight per endpoint").hasSize(1);
    queued.get(0).run();
    assertThat(store.statusPatches).isEqualTo(written + 1);
    assertThat(store.only().getStatus().getLastSeen()).isEqualTo("2026-11-23T10:06:00Z");
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
