package io.patchwarden.operator.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.endpoint.AssignmentResult;
import io.patchwarden.api.endpoint.CredentialHash;
import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointSpec;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.operator.support.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent protocol's logic, independent of HTTP: enroll, check in, report results. Every request
 * is checked (size, credential, body) before anything is written, and writes touch only the
 * caller's own endpoint, only the fields the gateway owns, and only when something changed.
 */
public final class AgentGateway {
  private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);

  /** Lenient about fields it does not know (newer agents), strict about the values it reads. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .build();

  private final EndpointStore store;
  private final EndpointWrites writes;
  private final Executor refreshes;
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final GatewaySettings settings;
  private final Clock clock;
  private final RateLimiter perEndpoint;

  /**
   * Failed requests per client address, on every route: unknown enrollment tokens, and wrong
   * secrets for an endpoint that exists (the refusals that may cost an API read). Guessing is
   * slowed, and a source over its budget is answered 429 before any cache or API lookup, so forged
   * credentials cannot become a flood of API reads. Requests that succeed, and credentials of
   * deleted endpoints, cost nothing here, so bulk enrollment and many agents behind one NAT are not
   * slowed.
   */
  private final RateLimiter failedBySource;

  /** For tests: lastSeen refreshes are written before the answer, so writes can be counted. */
  public AgentGateway(EndpointStore store, GatewaySettings settings, Clock clock) {
    this(
        store,
        settings,
        clock,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        Runnable::run);
  }

  /**
   * @param refreshes runs lastSeen refreshes off the request path (see {@link #checkin})
   */
  public AgentGateway(
      EndpointStore store,
      GatewaySettings settings,
      Clock clock,
      MeterRegistry registry,
      Executor refreshes) {
    this.refreshes = refreshes;
    this.writes = new EndpointWrites(store, registry);
    this.store = writes;
    this.settings = settings;
    this.clock = clock;
    this.perEndpoint =
        new RateLimiter(settings.requestsPerSecond(), settings.burst(), 100_000, clock);
    this.failedBySource =
        new RateLimiter(settings.requestsPerSecond(), settings.burst(), 100_000, clock);
  }

  /** {@code POST /agent/v1/enroll}. */
  public GatewayResponse enroll(byte[] body, String clientAddress) {
    Duration wait = failedBySource.check(clientAddress);
    if (!wait.isZero()) {
      return GatewayResponse.rateLimited(wait);
    }
    Parsed<EnrollRequest> parsed = parse(body, EnrollRequest.class);
    if (parsed.violation != null) {
      return GatewayResponse.badRequest(parsed.violation);
    }
    EnrollRequest request = parsed.value;
    Optional<Violation> invalid = RequestValidator.enroll(request);
    if (invalid.isPresent()) {
      return GatewayResponse.badRequest(invalid.get());
    }
    Instant now = clock.instant();
    Optional<EnrollmentToken> token =
        EnrollmentToken.find(request.token(), store.enrollmentTokens(), now);
    if (token.isEmpty()) {
      failedBySource.tryAcquire(clientAddress);
      return EnrollmentToken.expired(request.token(), store.enrollmentTokens(), now)
          ? GatewayResponse.tokenExpired()
          : GatewayResponse.unauthorized();
    }
    return guarded(() -> enroll(request, token.get(), now));
  }

  private GatewayResponse enroll(EnrollRequest request, EnrollmentToken token, Instant now) {
    String namespace = token.namespace();
    String name = EndpointNames.forMachine(request.machineId());
    Optional<ManagedEndpoint> existing = store.endpoint(namespace, name);
    boolean created = false;
    if (existing.isEmpty()) {
      try {
        store.create(newEndpoint(request, token, namespace, name));
        created = true;
      } catch (EndpointStore.AlreadyExists e) {
        existing = store.endpoint(namespace, name); // enrolled concurrently: re-enroll it
      }
    }
    if (!created && existing.isEmpty()) {
      return GatewayResponse.unavailable(); // created by someone else, then deleted at once
    }
    if (existing.isPresent()
        && !request.machineId().equals(existing.get().getSpec().getMachineId())) {
      return GatewayResponse.conflict("endpoint " + name + " belongs to another machine");
    }
    Credentials.Issued credential = Credentials.issue(namespace, name);
    Map<String, Object> status = new LinkedHashMap<>();
    String at = Timestamps.format(now);
    if (created
        || existing.get().getStatus() == null
        || existing.get().getStatus().getEnrolledAt() == null) {
      status.put("enrolledAt", at);
    }
    CredentialHash hash = new CredentialHash();
    hash.setSha256(credential.sha256());
    hash.setIssuedAt(at);
    status.put("credential", hash);
    status.put("lastSeen", at);
    store.patchStatus(namespace, name, status);
    LOG.info(
        "{} endpoint {}/{} (machine {}, token {})",
        created ? "Enrolled" : "Re-enrolled",
        namespace,
        name,
        forLog(request.hostname()),
        token.secret());
    return GatewayResponse.ok(
        new EnrollResponse(
            namespace, name, credential.credential(), seconds(settings.checkinInterval())));
  }

  private static ManagedEndpoint newEndpoint(
      EnrollRequest request, EnrollmentToken token, String namespace, String name) {
    Map<String, String> labels = new HashMap<>();
    if (request.labels() != null) {
      labels.putAll(request.labels());
    }
    labels.putAll(token.labels()); // what the token grants wins over what the agent proposes
    ManagedEndpoint endpoint = new ManagedEndpoint();
    endpoint.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(labels).build());
    ManagedEndpointSpec spec = new ManagedEndpointSpec();
    spec.setMachineId(request.machineId());
    spec.setDisplayName(request.hostname());
    endpoint.setSpec(spec);
    return endpoint;
  }

  /** {@code POST /agent/v1/checkin}, without a per-source budget (tests). */
  public GatewayResponse checkin(byte[] body, String authorization) {
    return checkin(body, authorization, null);
  }

  /**
   * {@code POST /agent/v1/checkin}.
   *
   * @param clientAddress the caller's address, whose failed requests are budgeted; null: none
   */
  public GatewayResponse checkin(byte[] body, String authorization, String clientAddress) {
    return authorized(
        body,
        authorization,
        clientAddress,
        CheckinRequest.class,
        RequestValidator::checkin,
        (endpoint, request) ->
            guarded(() -> checkin(endpoint, Inventories.from(request.inventory()))));
  }

  /**
   * The steps every authenticated route shares, in the order that writes nothing on failure:
   * credential (401), the endpoint's request budget (429), JSON (400), field checks (400).
   */
  private <T> GatewayResponse authorized(
      byte[] body,
      String authorization,
      String clientAddress,
      Class<T> type,
      Function<T, Optional<Violation>> validate,
      BiFunction<ManagedEndpoint, T, GatewayResponse> handle) {
    if (clientAddress != null) {
      Duration wait = failedBySource.check(clientAddress);
      if (!wait.isZero()) {
        return GatewayResponse.rateLimited(wait);
      }
    }
    Optional<ManagedEndpoint> caller = authenticate(authorization);
    if (caller.isEmpty()) {
      if (clientAddress != null && namesAKnownEndpoint(authorization)) {
        failedBySource.tryAcquire(clientAddress);
      }
      return GatewayResponse.unauthorized();
    }
    Duration wait = perEndpoint.tryAcquire(key(caller.get()));
    if (!wait.isZero()) {
      return GatewayResponse.rateLimited(wait);
    }
    Parsed<T> parsed = parse(body, type);
    if (parsed.violation != null) {
      return GatewayResponse.badRequest(parsed.violation);
    }
    Optional<Violation> invalid = validate.apply(parsed.value);
    if (invalid.isPresent()) {
      return GatewayResponse.badRequest(invalid.get());
    }
    return handle.apply(caller.get(), parsed.value);
  }

  private GatewayResponse checkin(ManagedEndpoint endpoint, Inventory report) {
    Instant now = clock.instant();
    ManagedEndpointStatus status = endpoint.getStatus();
    Inventory reported =
        Inventories.withFirstSeen(report, status == null ? null : status.getInventory(), now);
    CheckinPlan plan =
        CheckinPlan.decide(
            status == null ? null : status.getInventory(),
            status == null ? null : status.getLastSeen(),
            reported,
            now,
            settings.lastSeenRefresh(),
            CheckinPlan.spreadOf(endpoint.getMetadata().getName()));
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    if (plan.inventory() != null) {
      Map<String, Object> patch = new LinkedHashMap<>();
      patch.put("inventory", plan.inventory());
      patch.put("lastSeen", Timestamps.format(plan.lastSeen()));
      store.patchStatus(namespace, name, patch);
    } else if (plan.lastSeen() != null) {
      refreshLastSeen(namespace, name, plan.lastSeen());
    }
    return GatewayResponse.ok(
        new CheckinResponse(
            endpoint.getSpec() == null ? null : endpoint.getSpec().getAssignment(),
            seconds(settings.checkinInterval())));
  }

  /**
   * A lastSeen refresh is not worth making the agent wait for: it is written after the answer.
   * Losing one is harmless — until it is written the cache still holds the old lastSeen, so the
   * next check-in asks for it again — and one endpoint never has two refreshes in flight.
   */
  private void refreshLastSeen(String namespace, String name, Instant lastSeen) {
    String key = namespace + "/" + name;
    if (!refreshing.add(key)) {
      return;
    }
    try {
      refreshes.execute(
          () -> {
            try {
              store.patchStatus(namespace, name, Map.of("lastSeen", Timestamps.format(lastSeen)));
            } catch (KubernetesClientException e) {
              LOG.debug("lastSeen refresh of {} failed; the next check-in retries", key, e);
            } finally {
              refreshing.remove(key);
            }
          });
    } catch (RejectedExecutionException e) {
      refreshing.remove(key); // queue full: the next check-in retries
    }
  }

  /** {@code POST /agent/v1/result}, without a per-source budget (tests). */
  public GatewayResponse result(byte[] body, String authorization) {
    return result(body, authorization, null);
  }

  /** {@code POST /agent/v1/result}: idempotent by run. */
  public GatewayResponse result(byte[] body, String authorization, String clientAddress) {
    return authorized(
        body,
        authorization,
        clientAddress,
        ResultReport.class,
        RequestValidator::result,
        this::result);
  }

  private GatewayResponse result(ManagedEndpoint endpoint, ResultReport report) {
    AssignmentResult last =
        endpoint.getStatus() == null ? null : endpoint.getStatus().getLastResult();
    if (last != null && report.run().equals(last.getRun())) {
      return GatewayResponse.ok(new ResultAck(report.run(), true));
    }
    return guarded(
        () -> {
          Instant now = clock.instant();
          AssignmentResult result = new AssignmentResult();
          result.setRun(report.run());
          result.setReportedAt(Timestamps.format(now));
          result.setRebootPending(report.rebootPending());
          result.setUpdates(report.updates());
          store.patchStatus(
              endpoint.getMetadata().getNamespace(),
              endpoint.getMetadata().getName(),
              Map.of("lastResult", result, "lastSeen", Timestamps.format(now)));
          return GatewayResponse.ok(new ResultAck(report.run(), false));
        });
  }

  /** The endpoint whose stored credential hash matches the bearer credential. */
  private Optional<ManagedEndpoint> authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    String credential = authorization.substring("Bearer ".length()).trim();
    Optional<Credentials.EndpointRef> ref = Credentials.endpointOf(credential);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    String namespace = ref.get().namespace();
    String name = ref.get().name();
    try {
      Optional<ManagedEndpoint> cached = store.endpoint(namespace, name);
      if (cached.isEmpty() || holds(cached.get(), credential)) {
        return cached.filter(e -> holds(e, credential));
      }
      // The cache may not have seen a credential issued a moment ago (enrollment on this or
      // another replica): read once from the API, within the endpoint's request budget so wrong
      // credentials cannot turn into a flood of API reads.
      if (!perEndpoint.check(namespace + "/" + name).isZero()) {
        return Optional.empty();
      }
      return store.endpointFromApi(namespace, name).filter(e -> holds(e, credential));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a refused credential names an endpoint the cache knows: only such a refusal may have
   * cost an API read (the wrong secret of a real endpoint), so only it counts against the source's
   * budget. Malformed credentials and credentials of deleted endpoints are refused from the cache
   * alone; counting them would let a few decommissioned agents that keep checking in push every
   * agent behind the same NAT or Ingress (one client address) into 429s.
   */
  private boolean namesAKnownEndpoint(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    try {
      return Credentials.endpointOf(authorization.substring("Bearer ".length()).trim())
          .flatMap(ref -> store.endpoint(ref.namespace(), ref.name()))
          .isPresent();
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  private static boolean holds(ManagedEndpoint endpoint, String credential) {
    return endpoint.getStatus() != null
        && endpoint.getStatus().getCredential() != null
        && Credentials.matches(credential, endpoint.getStatus().getCredential().getSha256());
  }

  private record Parsed<T>(T value, Violation violation) {}

  private static <T> Parsed<T> parse(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      return new Parsed<>(null, new Violation("", "a JSON body is required"));
    }
    try {
      return new Parsed<>(JSON.readValue(body, type), null);
    } catch (JsonMappingException e) {
      return new Parsed<>(null, new Violation(pointer(e), "has the wrong type or value"));
    } catch (IOException e) {
      return new Parsed<>(null, new Violation("", "is not valid JSON"));
    }
  }

  /** The JSON pointer of the field Jackson failed on. */
  static String pointer(JsonMappingException e) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      pointer.append('/');
      pointer.append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
    }
    return pointer.toString();
  }

  /** Transient API trouble is the gateway's problem, not the agent's: 503, retry later. */
  private static GatewayResponse guarded(java.util.function.Supplier<GatewayResponse> write) {
    try {
      return write.get();
    } catch (KubernetesClientException e) {
      LOG.warn("Kubernetes API call failed ({}): {}", e.getCode(), e.getMessage());
      return GatewayResponse.unavailable();
    }
  }

  /** Longest agent-supplied value written to a log line. */
  static final int LOG_VALUE_MAX = 64;

  /**
   * An agent-supplied value as it may appear in a log line: control, format (bidi overrides,
   * zero-width) and unpaired surrogate characters escaped as {@code \\uXXXX}, cut to {@value
   * #LOG_VALUE_MAX} characters. A hostname is the agent's to choose; unescaped, a line break in it
   * would forge log lines.
   */
  static String forLog(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    int end = Math.min(value.length(), LOG_VALUE_MAX);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      int type = Character.getType(c);
      boolean pairedSurrogate =
          Character.isHighSurrogate(c)
              ? i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))
              : Character.isLowSurrogate(c)
                  && i > 0
                  && Character.isHighSurrogate(value.charAt(i - 1));
      if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || (type == Character.SURROGATE && !pairedSurrogate)
          || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > LOG_VALUE_MAX) {
      b.append("...");
    }
    return b.toString();
  }

  private static String key(ManagedEndpoint e) {
    return e.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
  }

  private static int seconds(Duration d) {
    return (int) d.toSeconds();
  }
}
