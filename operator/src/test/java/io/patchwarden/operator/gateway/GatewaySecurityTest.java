package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's security claims (docs/security.md), each shown on the protocol: constant-time
 * comparisons on fixed-length digests, a credential that opens its own endpoint only on every
 * route, expired tokens refused with a clear answer, and budgets per source and per endpoint.
 */
class GatewaySecurityTest {
  private static final String TOKEN = "office-laptops-0123456789abcdef";
  private static final String OLD_TOKEN = "last-years-token-0123456789abcdef";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private final AgentGatewayTest.MutableClock clock = new AgentGatewayTest.MutableClock(T0);
  private InMemoryEndpointStore store;
  private AgentGateway gateway;

  @BeforeEach
  void setUp() {
    store = new InMemoryEndpointStore();
    store.tokens.add(new EnrollmentToken("office", "laptops", TOKEN, null, Map.of()));
    store.tokens.add(
        new EnrollmentToken("office", "old", OLD_TOKEN, T0.minus(Duration.ofDays(1)), Map.of()));
    gateway = new AgentGateway(store, GatewaySettings.defaults(), clock);
  }

  static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String enrollBody(String token, String machineId) {
    return """
        {"token": "%s", "machineId": "%s", "hostname": "pc", "osFamily": "Debian",
         "osName": "Debian", "osVersion": "12", "timeZone": "Europe/Berlin"}
        """
        .formatted(token, machineId);
  }

  static final String CHECKIN =
      """
      {"inventory": {"hostname": "pc", "osFamily": "Debian", "osName": "Debian",
        "osVersion": "12", "kernelVersion": "6.1.0-28-amd64", "rebootRequired": false,
        "pendingUpdates": []}}
      """;

  static final String RESULT =
      """
      {"run": "run-%s", "rebootPending": false, "updates": []}
      """;

  private EnrollResponse enroll(String machineId) {
    GatewayResponse r = gateway.enroll(json(enrollBody(TOKEN, machineId)), "10.0.0.1");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return (EnrollResponse) r.body();
  }

  // --- credentials ---------------------------------------------------------------------------

  @Test
  void credentialsAreStoredAsSha256AndComparedAsDigestsOfFixedLength() {
    Credentials.Issued issued = Credentials.issue("office", "pc-1");
    String hash = issued.sha256();

    assertThat(hash).matches("[0-9a-f]{64}").doesNotContain(issued.credential());
    assertThat(issued.toString()).doesNotContain(issued.credential());
    assertThat(Credentials.matches(issued.credential(), hash)).isTrue();
    // Right prefix, wrong last character; a prefix of the hash; the hash itself as credential;
    // upper case (another byte string): all refused, none by a shortcut that reads the secret.
    String lastWrong = hash.substring(0, 63) + (hash.charAt(63) == '0' ? '1' : '0');
    assertThat(Credentials.matches(issued.credential(), lastWrong)).isFalse();
    assertThat(Credentials.matches(issued.credential(), hash.substring(0, 32))).isFalse();
    assertThat(Credentials.matches(hash, hash)).isFalse();
    assertThat(Credentials.matches(issued.credential(), hash.toUpperCase())).isFalse();
    assertThat(Credentials.matches(issued.credential() + "x", hash)).isFalse();
    assertThat(Credentials.matches(null, hash)).isFalse();
    assertThat(Credentials.matches(issued.credential(), null)).isFalse();

    // Enrollment tokens: compared as SHA-256 digests too, so every comparison is 32 bytes long
    // whatever the lengths of the presented and the stored token.
    assertThat(EnrollmentToken.digest("a")).hasSize(32);
    assertThat(EnrollmentToken.digest("x".repeat(4096))).hasSize(32);
    assertThat(EnrollmentToken.find(TOKEN, store.tokens, T0)).isPresent();
    assertThat(EnrollmentToken.find(TOKEN.substring(0, 20), store.tokens, T0)).isEmpty();
    assertThat(EnrollmentToken.find(TOKEN + "0", store.tokens, T0)).isEmpty();
  }

  /**
   * Constant time in structure: in the gateway's sources, secrets (credentials, tokens, hashes) are
   * compared only with MessageDigest.isEqual, never with String.equals or a loop that stops at the
   * first difference.
   */
  @Test
  void secretsAreComparedOnlyWithMessageDigestIsEqual() throws Exception {
    Path sources = Path.of("src/main/java/io/patchwarden/operator/gateway");
    Pattern secretEquals =
        Pattern.compile(
            "(?i)(token|credential|sha256|secret|hash)\\w*(\\(\\))?\\s*\\.\\s*(equals|equalsIgnoreCase|compareTo|contentEquals)\\s*\\("
                + "|\\.(equals|equalsIgnoreCase|contentEquals)\\s*\\(\\s*\\w*(token|credential|sha256|secret|hash)");
    List<Path> files;
    try (var stream = Files.list(sources)) {
      files = stream.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher m = secretEquals.matcher(text);
      if (m.find()) {
        throw new AssertionError(file.getFileName() + " compares a secret with " + m.group());
      }
    }
    String credentials = Files.readString(sources.resolve("Credentials.java"));
    String tokens = Files.readString(sources.resolve("EnrollmentToken.java"));
    assertThat(method(credentials, "boolean matches("))
        .contains("MessageDigest.isEqual(", "sha256(");
    assertThat(method(tokens, "List<EnrollmentToken> matching("))
        .contains("MessageDigest.isEqual(given, digest(");
  }

  private static String method(String source, String name) {
    int start = source.indexOf(name);
    assertThat(start).as("method %s", name).isPositive();
    int end = source.indexOf("\n  }\n", start);
    return source.substring(start, end);
  }

  // --- isolation -----------------------------------------------------------------------------

  @Test
  void aCredentialCannotReadOrChangeAnotherEndpointOnAnyRoute() {
    EnrollResponse mine = enroll("machine-mine-0001");
    EnrollResponse theirs = enroll("machine-theirs-001");
    String myCredential = "Bearer " + mine.credential();
    String mySecret = mine.credential().substring(mine.credential().lastIndexOf('.') + 1);
    String theirPrefix = theirs.credential().substring(0, theirs.credential().lastIndexOf('.') + 1);
    String forged = "Bearer " + theirPrefix + mySecret;
    // Their name in another namespace, with my secret: the same refusal.
    String otherNamespace =
        "Bearer "
            + Credentials.issue("tenant-b", theirs.name())
                .credential()
                .replaceAll("\\.[^.]*$", "." + mySecret);
    ManagedEndpoint before = store.endpoints.get("office/" + theirs.name());
    int writes = store.statusPatches;

    for (String wrong : List.of(forged, otherNamespace, "Bearer " + theirPrefix)) {
      assertThat(gateway.checkin(json(CHECKIN), wrong).status()).as(wrong).isEqualTo(401);
      assertThat(gateway.result(json(RESULT.formatted(1)), wrong).status()).isEqualTo(401);
    }
    assertThat(store.statusPatches).as("no refused request wrote").isEqualTo(writes);

    // With my own credential, a body that names their endpoint still only reaches mine: the
    // gateway takes the endpoint from the credential, never from the body.
    String naming =
        "{\"namespace\": \"office\", \"name\": \"%s\", ".formatted(theirs.name())
            + CHECKIN.strip().substring(1);
    assertThat(gateway.checkin(json(naming), myCredential).status()).isEqualTo(200);
    String namingResult =
        "{\"namespace\": \"office\", \"name\": \"%s\", ".formatted(theirs.name())
            + RESULT.formatted(2).strip().substring(1);
    assertThat(gateway.result(json(namingResult), myCredential).status()).isEqualTo(200);

    ManagedEndpoint after = store.endpoints.get("office/" + theirs.name());
    assertThat(after.getStatus()).usingRecursiveComparison().isEqualTo(before.getStatus());
    ManagedEndpoint mineNow = store.endpoints.get("office/" + mine.name());
    assertThat(mineNow.getStatus().getInventory()).isNotNull();
    assertThat(mineNow.getStatus().getLastResult().getRun()).isEqualTo("run-2");
    // The checkin answer carries the caller's assignment only: theirs has none to leak here, so
    // show that the answer is built from the authenticated endpoint.
    store
        .endpoints
        .get("office/" + theirs.name())
        .getSpec()
        .setAssignment(
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                "{\"run\": \"their-run\", \"updates\": []}",
                io.patchwarden.api.endpoint.Assignment.class));
    var answer =
        (io.patchwarden.api.agent.CheckinResponse)
            gateway.checkin(json(naming), myCredential).body();
    assertThat(answer.assignment()).isNull();
  }

  // --- enrollment tokens ---------------------------------------------------------------------

  @Test
  void anExpiredTokenIsRefusedWith401SayingSoAndWritesNothing() {
    GatewayResponse expired =
        gateway.enroll(json(enrollBody(OLD_TOKEN, "machine-0000-0001")), "10.0.0.2");
    GatewayResponse unknown =
        gateway.enroll(
            json(enrollBody("never-issued-0123456789", "machine-0000-0001")), "10.0.0.3");

    assertThat(expired.status()).isEqualTo(401);
    ErrorResponse body = (ErrorResponse) expired.body();
    assertThat(body.error()).isEqualTo("unauthorized");
    assertThat(body.message()).contains("expired").doesNotContain(OLD_TOKEN, "office", "old");
    assertThat(((ErrorResponse) unknown.body()).message()).doesNotContain("expired");
    assertThat(store.endpoints).isEmpty();

    // A token that expires while in use: valid up to its instant, refused from then on.
    store.tokens.add(
        new EnrollmentToken(
            "office", "short", "short-lived-token-0123456", T0.plusSeconds(60), Map.of()));
    assertThat(
            gateway
                .enroll(json(enrollBody("short-lived-token-0123456", "machine-0000-0002")), "x")
                .status())
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(60));
    GatewayResponse late =
        gateway.enroll(json(enrollBody("short-lived-token-0123456", "machine-0000-0003")), "x");
    assertThat(late.status()).isEqualTo(401);
    assertThat(((ErrorResponse) late.body()).message()).contains("expired");
    assertThat(store.endpoints).hasSize(1);
  }

  // --- rate limits ---------------------------------------------------------------------------

  @Test
  void failedCredentialsFromOneSourceAreLimitedOnEveryRouteBeforeAnyLookup() {
    String valid = "Bearer " + enroll("machine-mine-0001").credential();
    // Wrong secrets for endpoints that exist: each costs an API read (a credential issued a moment
    // ago may not be in the cache yet), within the endpoint's budget.
    List<String> targets = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      targets.add(enroll("machine-other-%04d".formatted(i)).name());
    }
    int readsBefore = store.apiReads;
    for (int i = 0; i < 10; i++) {
      String forged = "Bearer " + Credentials.issue("office", targets.get(i)).credential();
      GatewayResponse r =
          i % 2 == 0
              ? gateway.checkin(json(CHECKIN), forged, "203.0.113.9")
              : gateway.result(json(RESULT.formatted(i)), forged, "203.0.113.9");
      assertThat(r.status()).isEqualTo(401);
    }
    assertThat(store.apiReads).as("each forged credential cost a read").isGreaterThan(readsBefore);
    int reads = store.apiReads;
    GatewayResponse limited =
        gateway.checkin(
            json(CHECKIN),
            "Bearer " + Credentials.issue("office", targets.get(0)).credential(),
            "203.0.113.9");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.retryAfter()).isPositive();
    assertThat(store.apiReads).as("refused before the lookup").isEqualTo(reads);
    assertThat(gateway.enroll(json(enrollBody(TOKEN, "machine-0000-0009")), "203.0.113.9").status())
        .as("the same budget guards enrollment")
        .isEqualTo(429);

    // Another source is not affected, nor is a valid agent elsewhere.
    assertThat(gateway.checkin(json(CHECKIN), valid, "198.51.100.1").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(gateway.checkin(json(CHECKIN), valid, "203.0.113.9").status())
        .as("after Retry-After the source may try again")
        .isEqualTo(200);
  }

  /**
   * Behind a NAT or an Ingress every agent has the same client address. Agents of deleted endpoints
   * keep checking in (401 at the normal interval, by design): their refusals come from the cache
   * alone and must not push the healthy agents at that address into 429s.
   */
  @Test
  void agentsOfDeletedEndpointsDoNotStarveTheirNeighboursBehindOneAddress() {
    String valid = "Bearer " + enroll("machine-mine-0001").credential();
    int reads = store.apiReads;
    for (int i = 0; i < 50; i++) {
      String ofDeleted = "Bearer " + Credentials.issue("office", "deleted-" + i).credential();
      assertThat(gateway.checkin(json(CHECKIN), ofDeleted, "192.0.2.1").status()).isEqualTo(401);
      assertThat(gateway.checkin(json("{"), "Bearer not-a-credential", "192.0.2.1").status())
          .isEqualTo(401);
    }
    assertThat(store.apiReads).as("refused from the cache").isEqualTo(reads);
    assertThat(gateway.checkin(json(CHECKIN), valid, "192.0.2.1").status()).isEqualTo(200);
  }

  @Test
  void eachEndpointHasItsOwnBudgetAndTheAnswerCarriesRetryAfterOverHttp() throws Exception {
    GatewaySettings settings =
        GatewaySettings.defaults().withPort(0).withLimits(1024 * 1024, 1.0, 2);
    gateway = new AgentGateway(store, settings, clock);
    String a = enroll("machine-aaaa-0001").credential();
    String b = enroll("machine-bbbb-0001").credential();
    HttpClient http = HttpClient.newHttpClient();
    try (GatewayServer server = GatewayServer.start(gateway, settings, new SimpleMeterRegistry())) {
      URI checkin = URI.create("http://127.0.0.1:" + server.port() + "/agent/v1/checkin");
      URI result = URI.create("http://127.0.0.1:" + server.port() + "/agent/v1/result");
      assertThat(post(http, checkin, CHECKIN, a).statusCode()).isEqualTo(200);
      assertThat(post(http, result, RESULT.formatted(1), a).statusCode()).isEqualTo(200);
      HttpResponse<String> limited = post(http, checkin, CHECKIN, a);

      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
      assertThat(limited.body()).contains("\"rate_limited\"");
      assertThat(post(http, result, RESULT.formatted(2), a).statusCode())
          .as("check-in and result share the endpoint's budget")
          .isEqualTo(429);
      assertThat(post(http, checkin, CHECKIN, b).statusCode())
          .as("another endpoint from the same address has its own budget")
          .isEqualTo(200);
    }
  }

  static HttpResponse<String> post(HttpClient http, URI uri, String body, String credential)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
