package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.endpoint.CredentialHash;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.testing.CrdSchemaValidator;
import io.patchwarden.operator.testing.ProtocolFuzz;
import io.patchwarden.operator.testing.SpecFuzz;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random agent protocol bodies (see {@link ProtocolFuzz}) against {@link AgentGateway} with an
 * enrolled endpoint in an in-memory store: every answer is 200 or 400, never 5xx; a 400 names the
 * problem and writes nothing; a body invalid by construction is always a 400; and what a 200 writes
 * is admitted by the ManagedEndpoint CRD (a write the API server rejects would be a 503 for the
 * agent). Sizes above the body limit (413) are the HTTP layer's: {@code SpecFuzzMockServerTest}.
 */
class AgentProtocolFuzzPropertiesTest {
  private static final String TOKEN = "fuzz-enrollment-token-0123456789";
  private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
  private static final SpecFuzz.Tally TALLY = new SpecFuzz.Tally();
  private static final CrdSchemaValidator ENDPOINTS =
      CrdSchemaValidator.forKind("managedendpoints");

  @Provide
  Arbitrary<ProtocolFuzz.Body> bodies() {
    return Arbitraries.randomValue(r -> new ProtocolFuzz(r, TOKEN).next());
  }

  @Property(tries = 1500, seed = "20261207", shrinking = ShrinkingMode.OFF)
  void everyBodyIsAnsweredWith200Or400AndA400WritesNothing(@ForAll("bodies") ProtocolFuzz.Body b) {
    InMemoryEndpointStore store = new InMemoryEndpointStore();
    store.tokens.add(
        new EnrollmentToken("office", "fuzz", TOKEN, T0.plus(Duration.ofDays(30)), Map.of()));
    AgentGatewayTest.MutableClock clock = new AgentGatewayTest.MutableClock(T0);
    AgentGateway gateway = new AgentGateway(store, GatewaySettings.defaults(), clock);
    // The caller: an enrolled endpoint with a stored credential hash (as enroll leaves it).
    Credentials.Issued issued = Credentials.issue("office", "ep-fixture");
    ManagedEndpoint fixture = new ManagedEndpoint();
    fixture.setMetadata(
        new ObjectMetaBuilder().withNamespace("office").withName("ep-fixture").build());
    fixture.setSpec(new ManagedEndpointSpec());
    fixture.getSpec().setMachineId("fixture-machine-1");
    fixture.setStatus(new ManagedEndpointStatus());
    fixture.getStatus().setCredential(new CredentialHash());
    fixture.getStatus().getCredential().setSha256(issued.sha256());
    fixture.getStatus().getCredential().setIssuedAt("2026-12-07T02:00:00Z");
    fixture.getStatus().setLastSeen("2026-12-07T02:00:00Z");
    store.endpoints.put("office/ep-fixture", fixture);
    String credential = "Bearer " + issued.credential();
    clock.advance(Duration.ofHours(1));
    Map<String, String> before = snapshot(store);
    int writesBefore = store.creates + store.statusPatches;

    GatewayResponse answer =
        switch (b.route()) {
          case enroll -> gateway.enroll(b.bytes(), "10.0.0.2");
          case checkin -> gateway.checkin(b.bytes(), credential);
          case result -> gateway.result(b.bytes(), credential);
        };

    TALLY.add(b.route() + " " + b.mode() + " -> " + answer.status());
    assertThat(answer.status()).as("answer to %s: %s", b, answer.body()).isIn(200, 400);
    if (b.invalid()) {
      assertThat(answer.status()).as("answer to %s: %s", b, answer.body()).isEqualTo(400);
    }
    if (answer.status() == 400) {
      ErrorResponse error = (ErrorResponse) answer.body();
      assertThat(error.error()).isEqualTo("invalid_request");
      assertThat(error.message()).as("message for %s", b).isNotBlank();
      assertThat(error.field()).as("field for %s", b).isNotNull();
      assertThat(store.creates + store.statusPatches)
          .as("writes for %s", b)
          .isEqualTo(writesBefore);
      assertThat(snapshot(store)).as("store after %s", b).isEqualTo(before);
    } else {
      for (ManagedEndpoint e : store.endpoints.values()) {
        assertThat(ENDPOINTS.validate(Serialization.jsonMapper().valueToTree(e)))
            .as("the CRD admits what %s wrote: %s", b, Serialization.asJson(e))
            .isEmpty();
      }
    }
  }

  private static Map<String, String> snapshot(InMemoryEndpointStore store) {
    Map<String, String> copy = new TreeMap<>();
    store.endpoints.forEach((k, v) -> copy.put(k, Serialization.asJson(v)));
    return copy;
  }

  @AfterContainer
  static void report() {
    System.out.println("Agent protocol fuzz (AgentGateway, " + TALLY.total("") + " bodies):");
    System.out.print(TALLY);
    TALLY.requireEach(
        List.of(
            "random-json",
            "wrong-type",
            "huge-string",
            "bad-number",
            "number-for-string",
            "unicode",
            "deep-nesting",
            "truncated",
            "not-utf8",
            "required-null",
            "valid"),
        20);
    assertThat(TALLY.total("checkin valid -> 200")).as("valid check-ins accepted").isPositive();
  }
}
