package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.PatchwardenApi;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import io.patchwarden.operator.OperatorSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/agent-protocol.md true: its examples run through the gateway's code, its error table
 * lists exactly the codes the gateway answers with, and its OpenAPI description declares the three
 * routes and every DTO with the DTO's own fields and enum values.
 */
class AgentProtocolDocTest {
  private static final Path DOC = Path.of("..", "docs", "agent-protocol.md");
  private static final Path GATEWAY_SOURCES =
      Path.of("src", "main", "java", "io", "patchwarden", "operator", "gateway");

  /** During the documented maintenance window, before the documented token expires. */
  private static final Instant NOW = Instant.parse("2026-11-23T19:02:00Z");

  private static final String CLIENT = "192.0.2.10";

  /** Like the gateway, but documented answers must not carry fields the DTOs lack. */
  private static final ObjectMapper STRICT =
      AgentGateway.JSON.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> EXAMPLES =
      Set.of(
          "enrollment-secret",
          "enroll-request",
          "enroll-response",
          "checkin-request",
          "checkin-response",
          "result-request",
          "result-response",
          "result-duplicate-response",
          "error-response",
          "invalid-checkin-request");

  /** The DTOs of the protocol, by the schema name the OpenAPI description must use. */
  private static final Map<String, Class<?>> OBJECT_SCHEMAS =
      Map.ofEntries(
          Map.entry("EnrollRequest", EnrollRequest.class),
          Map.entry("EnrollResponse", EnrollResponse.class),
          Map.entry("CheckinRequest", CheckinRequest.class),
          Map.entry("AgentInventory", AgentInventory.class),
          Map.entry("PendingUpdate", PendingUpdate.class),
          Map.entry("CheckinResponse", CheckinResponse.class),
          Map.entry("Assignment", Assignment.class),
          Map.entry("AssignedUpdate", AssignedUpdate.class),
          Map.entry("ResultReport", ResultReport.class),
          Map.entry("UpdateOutcome", UpdateOutcome.class),
          Map.entry("ResultAck", ResultAck.class),
          Map.entry("ErrorResponse", ErrorResponse.class));

  private static final Map<String, Class<? extends Enum<?>>> ENUM_SCHEMAS =
      Map.of(
          "OsFamily", OsFamily.class,
          "Classification", Classification.class,
          "Severity", Severity.class,
          "RebootPolicy", RebootPolicy.class,
          "UpdateResult", UpdateResult.class);

  private String doc;
  private Map<String, Block> examples;
  private InMemoryEndpointStore store;
  private EnrollmentToken token;

  /** A fenced code block, with the name of the example comment right before it, if any. */
  record Block(String language, String example, String text, int line) {}

  @BeforeEach
  void setUp() throws IOException {
    doc = Files.readString(DOC);
    examples = new HashMap<>();
    for (Block b : blocks(doc)) {
      if (b.example() != null) {
        assertThat(examples.put(b.example(), b))
            .as("example %s is named twice (line %d)", b.example(), b.line())
            .isNull();
      }
    }
    assertThat(examples.keySet()).as("examples marked <!-- example: ... -->").containsAll(EXAMPLES);
    token = tokenFromTheDocumentedSecret();
    store = new InMemoryEndpointStore();
    store.tokens.add(token);
  }

  // --- (a) examples -----------------------------------------------------------------------------

  @Test
  void everyJsonBlockIsJson() {
    List<Block> json = blocks(doc).stream().filter(b -> b.language().equals("json")).toList();
    assertThat(json).hasSizeGreaterThanOrEqualTo(EXAMPLES.size() - 1);
    for (Block b : json) {
      try {
        assertThat(AgentGateway.JSON.readTree(b.text()).isObject())
            .as("the JSON block at line %d is an object", b.line())
            .isTrue();
      } catch (IOException e) {
        fail("the JSON block at line " + b.line() + " does not parse: " + e.getMessage());
      }
    }
  }

  @Test
  void theDocumentedSecretIsAUsableTokenInALabelledNamespace() {
    assertThat(token.namespace()).isEqualTo("office");
    assertThat(token.token())
        .as("the enroll example uses the Secret's token")
        .isEqualTo(json("enroll-request").get("token").asText())
        .hasSizeGreaterThanOrEqualTo(EnrollmentSecrets.MIN_TOKEN_LENGTH);
    assertThat(token.validAt(NOW)).isTrue();
    assertThat(doc)
        .contains("`" + PatchwardenApi.ENROLLMENT_SOURCE_LABEL + ": \"true\"`")
        .contains("label namespace office " + PatchwardenApi.ENROLLMENT_SOURCE_LABEL + "=true")
        .contains("label secret laptops-token " + EnrollmentSecrets.TOKEN_LABEL + "=true")
        .contains(EnrollmentSecrets.EXPIRES_AT + "=")
        .contains(EnrollmentSecrets.LABELS + "=");
  }

  @Test
  void theDocumentedExchangeRunsThroughTheGatewayAndGetsTheDocumentedAnswers() {
    AgentGateway gateway = gateway(GatewaySettings.defaults());

    // Enroll.
    GatewayResponse enrolled = gateway.enroll(bytes("enroll-request"), CLIENT);
    assertThat(enrolled.status()).as("enroll: %s", enrolled.body()).isEqualTo(200);
    EnrollResponse answer = (EnrollResponse) enrolled.body();
    ObjectNode real = AgentGateway.JSON.valueToTree(answer);
    ObjectNode documented = json("enroll-response").deepCopy();
    String documentedCredential = documented.remove("credential").asText();
    real.remove("credential");
    assertThat(real).as("enroll answer apart from the credential").isEqualTo(documented);
    assertThat(answer.name())
        .isEqualTo(EndpointNames.forMachine(json("enroll-request").get("machineId").asText()));
    assertThat(doc).contains("`" + answer.name() + "`");
    Pattern format = Pattern.compile("^pw1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$");
    assertThat(answer.credential()).matches(format);
    assertThat(documentedCredential).matches(format);
    assertThat(Credentials.endpointOf(documentedCredential))
        .as("the documented credential names the documented endpoint")
        .contains(new Credentials.EndpointRef(answer.namespace(), answer.name()));

    ManagedEndpoint endpoint = store.only();
    Map<String, String> expectedLabels = new LinkedHashMap<>();
    json("enroll-request")
        .get("labels")
        .properties()
        .forEach(e -> expectedLabels.put(e.getKey(), e.getValue().asText()));
    expectedLabels.putAll(token.labels());
    assertThat(endpoint.getMetadata().getLabels())
        .as("proposed labels, overridden by the token's")
        .isEqualTo(expectedLabels);
    String prose = "The endpoint created by this request is labelled";
    int at = doc.indexOf(prose);
    assertThat(at).as("the doc says: %s ...", prose).isNotNegative();
    Map<String, String> saidLabels = new LinkedHashMap<>();
    Matcher said =
        Pattern.compile("`([^`=]+)=([^`]*)`").matcher(doc.substring(at, doc.indexOf(':', at)));
    while (said.find()) {
      saidLabels.put(said.group(1), said.group(2));
    }
    assertThat(saidLabels).as("the labels the doc promises").isEqualTo(expectedLabels);

    // Check in, with the documented assignment on the endpoint.
    JsonNode documentedCheckin = json("checkin-response");
    endpoint.getSpec().setAssignment(treeTo(documentedCheckin.get("assignment"), Assignment.class));
    String bearer = "Bearer " + answer.credential();
    GatewayResponse checkin = gateway.checkin(bytes("checkin-request"), bearer);
    assertThat(checkin.status()).as("checkin: %s", checkin.body()).isEqualTo(200);
    assertThat(tree(checkin.body())).isEqualTo(documentedCheckin);
    assertThat(store.only().getStatus().getInventory().getPendingUpdateCount())
        .isEqualTo(json("checkin-request").at("/inventory/pendingUpdates").size());

    // Report the result, twice.
    GatewayResponse result = gateway.result(bytes("result-request"), bearer);
    assertThat(result.status()).as("result: %s", result.body()).isEqualTo(200);
    assertThat(tree(result.body())).isEqualTo(json("result-response"));
    GatewayResponse again = gateway.result(bytes("result-request"), bearer);
    assertThat(again.status()).isEqualTo(200);
    assertThat(tree(again.body())).isEqualTo(json("result-duplicate-response"));

    // Documented answers hold no field the DTOs lack.
    treeTo(json("enroll-response"), EnrollResponse.class);
    treeTo(json("checkin-response"), CheckinResponse.class);
    treeTo(json("result-response"), ResultAck.class);
    treeTo(json("error-response"), ErrorResponse.class);
  }

  @Test
  void theErrorExampleIsWhatTheGatewayAnswers() {
    AgentGateway gateway = gateway(GatewaySettings.defaults());
    String bearer = enroll(gateway);

    GatewayResponse answer = gateway.checkin(bytes("invalid-checkin-request"), bearer);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(tree(answer.body())).isEqualTo(json("error-response"));
  }

  /**
   * For every field of every request example: leaving it out is 400 naming it exactly when the
   * OpenAPI description marks it required, and 200 otherwise.
   */
  /** Schema properties the gateway sets and agents do not send (PendingUpdate.firstSeen). */
  private static final Set<String> GATEWAY_OWNED = Set.of("firstSeen");

  @Test
  void theDocumentedRequiredFieldsAreExactlyTheOnesTheGatewayRequires() throws IOException {
    AgentGateway gateway = gateway(generous());
    String bearer = enroll(gateway);
    JsonNode schemas = openApi().path("components").path("schemas");

    record Case(String example, String pointer, String schema) {}
    List<Case> cases =
        List.of(
            new Case("enroll-request", "", "EnrollRequest"),
            new Case("checkin-request", "", "CheckinRequest"),
            new Case("checkin-request", "/inventory", "AgentInventory"),
            new Case("checkin-request", "/inventory/pendingUpdates/0", "PendingUpdate"),
            new Case("result-request", "", "ResultReport"),
            new Case("result-request", "/updates/0", "UpdateOutcome"));
    for (Case c : cases) {
      JsonNode schema = schemas.path(c.schema());
      Set<String> required = strings(schema.path("required"));
      Set<String> properties = new java.util.TreeSet<>(names(schema.path("properties")));
      // Fields the gateway sets itself are documented but never sent by an agent.
      properties.removeAll(GATEWAY_OWNED);
      assertThat(names(json(c.example()).at(c.pointer())))
          .as("the %s example shows every field of %s", c.example(), c.schema())
          .isEqualTo(properties);
      for (String property : properties) {
        ObjectNode request = json(c.example()).deepCopy();
        ((ObjectNode) request.at(c.pointer())).remove(property);
        GatewayResponse answer = send(gateway, c.example(), request, bearer);
        String field = c.pointer() + "/" + property;
        if (required.contains(property)) {
          assertThat(answer.status()).as("without %s: %s", field, answer.body()).isEqualTo(400);
          assertThat(((ErrorResponse) answer.body()).field()).isEqualTo(field);
        } else {
          assertThat(answer.status()).as("without %s: %s", field, answer.body()).isEqualTo(200);
        }
        bearer = renewed(answer, bearer);
      }
    }
  }

  @Test
  void unknownFieldsAreIgnored() {
    AgentGateway gateway = gateway(generous());
    String bearer = enroll(gateway);
    Map<String, List<String>> objects =
        Map.of(
            "enroll-request", List.of(""),
            "checkin-request", List.of("", "/inventory", "/inventory/pendingUpdates/0"),
            "result-request", List.of("", "/updates/0"));
    for (var e : objects.entrySet()) {
      for (String pointer : e.getValue()) {
        ObjectNode request = json(e.getKey()).deepCopy();
        ((ObjectNode) request.at(pointer)).put("someFutureField", "x");
        GatewayResponse answer = send(gateway, e.getKey(), request, bearer);
        assertThat(answer.status())
            .as("%s with an unknown field at '%s': %s", e.getKey(), pointer, answer.body())
            .isEqualTo(200);
        bearer = renewed(answer, bearer);
      }
    }
  }

  // --- (b) the error table ----------------------------------------------------------------------

  @Test
  void theErrorTableListsExactlyTheStatusAndCodePairsOfTheGateway() throws IOException {
    Map<String, Integer> documented = new LinkedHashMap<>();
    Map<String, String> rows = new HashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\|\\s*(\\d{3})\\s*\\|\\s*`([a-z_]+)`\\s*\\|(.*)$")
            .matcher(section("## Errors"));
    while (row.find()) {
      assertThat(documented.put(row.group(2), Integer.parseInt(row.group(1))))
          .as("%s is documented once", row.group(2))
          .isNull();
      rows.put(row.group(2), row.group(3));
    }

    Map<String, Integer> inCode = errorCodesInCode();
    assertThat(documented).as("error table vs. the gateway's code").isEqualTo(inCode);

    assertThat(rows.get("rate_limited")).contains("Retry-After");
    assertThat(rows.get("unavailable")).contains("Retry-After");
    assertThat(GatewaySettings.defaults().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(rows.get("too_large")).contains("1 MiB");

    JsonNode errorEnum = openApi().at("/components/schemas/ErrorResponse/properties/error/enum");
    assertThat(strings(errorEnum)).as("ErrorResponse.error enum").isEqualTo(inCode.keySet());
  }

  /** Every {@code <status>, new ErrorResponse("<code>"} of the gateway's sources. */
  private static Map<String, Integer> errorCodesInCode() throws IOException {
    Map<String, Integer> codes = new HashMap<>();
    Pattern pair = Pattern.compile("(\\d{3}),\\s*new ErrorResponse\\(\\s*\"([a-z_]+)\"");
    List<Path> sources;
    try (Stream<Path> files = Files.list(GATEWAY_SOURCES)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    int constructions = 0;
    int matched = 0;
    for (Path source : sources) {
      String text = Files.readString(source);
      constructions += count(text, "new ErrorResponse(");
      Matcher m = pair.matcher(text);
      while (m.find()) {
        matched++;
        Integer before = codes.put(m.group(2), Integer.parseInt(m.group(1)));
        assertThat(before == null || before == Integer.parseInt(m.group(1)))
            .as("%s always comes with one status", m.group(2))
            .isTrue();
      }
    }
    assertThat(matched)
        .as("every ErrorResponse in %s is built as '<status>, new ErrorResponse(\"code\"'", sources)
        .isEqualTo(constructions)
        .isPositive();
    return codes;
  }

  // --- (c) OpenAPI ------------------------------------------------------------------------------

  @Test
  void theOpenApiDescriptionDeclaresTheRoutesAndEverySchema() throws IOException {
    JsonNode api = openApi();
    assertThat(api.path("openapi").asText()).startsWith("3.0.");

    Map<String, String[]> routes =
        Map.of(
            "/agent/v1/enroll", new String[] {"EnrollRequest", "EnrollResponse"},
            "/agent/v1/checkin", new String[] {"CheckinRequest", "CheckinResponse"},
            "/agent/v1/result", new String[] {"ResultReport", "ResultAck"});
    assertThat(names(api.path("paths"))).isEqualTo(routes.keySet());
    for (var route : routes.entrySet()) {
      JsonNode post = api.path("paths").path(route.getKey()).path("post");
      assertThat(names(api.path("paths").path(route.getKey())))
          .as("%s is POST only", route.getKey())
          .containsExactly("post");
      assertThat(post.at("/requestBody/content/application~1json/schema/$ref").asText())
          .isEqualTo("#/components/schemas/" + route.getValue()[0]);
      assertThat(post.at("/responses/200/content/application~1json/schema/$ref").asText())
          .isEqualTo("#/components/schemas/" + route.getValue()[1]);
      boolean authenticated = !route.getKey().endsWith("/enroll");
      assertThat(post.path("security").size() > 0)
          .as("%s needs the bearer credential", route.getKey())
          .isEqualTo(authenticated);
    }

    JsonNode schemas = api.path("components").path("schemas");
    for (var dto : OBJECT_SCHEMAS.entrySet()) {
      JsonNode schema = schemas.path(dto.getKey());
      assertThat(schema.isObject()).as("schema %s", dto.getKey()).isTrue();
      assertThat(names(schema.path("properties")))
          .as("properties of %s vs. %s", dto.getKey(), dto.getValue().getName())
          .isEqualTo(jsonProperties(dto.getValue()));
      assertThat(names(schema.path("properties"))).containsAll(strings(schema.path("required")));
    }
    for (var e : ENUM_SCHEMAS.entrySet()) {
      Set<String> constants =
          Arrays.stream(e.getValue().getEnumConstants())
              .map(Enum::name)
              .collect(Collectors.toSet());
      assertThat(strings(schemas.path(e.getKey()).path("enum")))
          .as("enum %s", e.getKey())
          .isEqualTo(constants);
    }
    Set<String> refs = new TreeSet<>();
    Matcher ref = Pattern.compile("#/components/schemas/(\\w+)").matcher(api.toString());
    while (ref.find()) {
      refs.add(ref.group(1));
    }
    assertThat(names(schemas)).as("every reference resolves").containsAll(refs);

    assertThat(schemas.at("/AgentInventory/properties/pendingUpdates/maxItems").asInt())
        .isEqualTo(RequestValidator.MAX_PENDING_UPDATES_IN_REQUEST);
    Pattern machineId =
        Pattern.compile(schemas.at("/EnrollRequest/properties/machineId/pattern").asText());
    assertThat(machineId.matcher(json("enroll-request").get("machineId").asText()).matches())
        .isTrue();
    assertThat(machineId.matcher("short-7").matches()).isFalse();
    assertThat(machineId.matcher("x".repeat(129)).matches()).isFalse();
  }

  @Test
  void theDocumentedSettingsExistWithTheirDefaults() throws IllegalAccessException {
    Set<String> variables = new HashSet<>();
    for (Field f : OperatorSettings.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        variables.add((String) f.get(null));
      }
    }
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\|\\s*`(PATCHWARDEN_[A-Z_]+)`\\s*\\|\\s*([^|]*?)\\s*\\|")
            .matcher(section("## Overview"));
    while (row.find()) {
      documented.put(row.group(1), row.group(2));
    }
    assertThat(variables).containsAll(documented.keySet());
    GatewaySettings d = GatewaySettings.defaults();
    assertThat(documented)
        .containsEntry(OperatorSettings.GATEWAY_ENABLED, "`" + d.enabled() + "`")
        .containsEntry(OperatorSettings.GATEWAY_ADDRESS, "`" + d.address() + "`")
        .containsEntry(OperatorSettings.GATEWAY_PORT, "`" + d.port() + "`")
        .containsEntry(OperatorSettings.CHECKIN_INTERVAL, "`" + minutes(d.checkinInterval()) + "`")
        .containsEntry(OperatorSettings.LAST_SEEN_REFRESH, "`" + minutes(d.lastSeenRefresh()) + "`")
        .containsKeys(OperatorSettings.GATEWAY_TLS_CERT, OperatorSettings.GATEWAY_TLS_KEY);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private AgentGateway gateway(GatewaySettings settings) {
    return new AgentGateway(store, settings, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Rate limits out of the way: the clock stands still. */
  private static GatewaySettings generous() {
    GatewaySettings d = GatewaySettings.defaults();
    return d.withLimits(d.maxBodyBytes(), 1000.0, 10_000);
  }

  private String enroll(AgentGateway gateway) {
    GatewayResponse r = gateway.enroll(bytes("enroll-request"), CLIENT);
    assertThat(r.status()).as("enroll: %s", r.body()).isEqualTo(200);
    return "Bearer " + ((EnrollResponse) r.body()).credential();
  }

  /** Re-enrolling replaces the credential: the new one, after a successful enrollment. */
  private static String renewed(GatewayResponse answer, String bearer) {
    return answer.body() instanceof EnrollResponse e ? "Bearer " + e.credential() : bearer;
  }

  private static GatewayResponse send(
      AgentGateway gateway, String example, JsonNode request, String bearer) {
    byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
    return switch (example) {
      case "enroll-request" -> gateway.enroll(body, CLIENT);
      case "checkin-request" -> gateway.checkin(body, bearer);
      case "result-request" -> gateway.result(body, bearer);
      default -> throw new IllegalArgumentException(example);
    };
  }

  private EnrollmentToken tokenFromTheDocumentedSecret() {
    Block block = examples.get("enrollment-secret");
    assertThat(block.language()).isEqualTo("yaml");
    Secret secret = Serialization.unmarshal(block.text(), Secret.class);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(EnrollmentSecrets.TOKEN_LABEL, "true");
    assertThat(secret.getMetadata().getAnnotations())
        .containsKeys(EnrollmentSecrets.EXPIRES_AT, EnrollmentSecrets.LABELS);
    // What the API server makes of stringData.
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      data.putAll(secret.getData());
    }
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    }
    secret.setData(data);
    secret.setStringData(null);
    assertThat(data).containsKey(EnrollmentSecrets.TOKEN_KEY);
    return EnrollmentSecrets.parse(secret)
        .orElseThrow(() -> new AssertionError("the documented Secret is not a usable token"));
  }

  private JsonNode json(String example) {
    Block b = examples.get(example);
    assertThat(b).as("example %s", example).isNotNull();
    assertThat(b.language()).as("example %s is a json block", example).isEqualTo("json");
    try {
      return AgentGateway.JSON.readTree(b.text());
    } catch (IOException e) {
      throw new AssertionError("example " + example + " is not JSON: " + e.getMessage(), e);
    }
  }

  private byte[] bytes(String example) {
    return examples.get(example).text().getBytes(StandardCharsets.UTF_8);
  }

  /** What the server writes for an answer body. */
  private static JsonNode tree(Object body) {
    return AgentGateway.JSON.valueToTree(body);
  }

  private static <T> T treeTo(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (IOException e) {
      throw new AssertionError("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private JsonNode openApi() throws IOException {
    List<Block> yaml =
        blocks(section("## OpenAPI")).stream().filter(b -> b.language().equals("yaml")).toList();
    assertThat(yaml).as("one yaml block under ## OpenAPI").hasSize(1);
    return YAML.readTree(yaml.get(0).text());
  }

  /** From a level-2 heading to the next one. */
  private String section(String heading) {
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as("heading %s", heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length() + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  static List<Block> blocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    Pattern marker = Pattern.compile("^<!--\\s*example:\\s*([a-z0-9-]+)\\s*-->$");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("```")) {
        continue;
      }
      String language = lines[i].substring(3).trim();
      String example = null;
      for (int j = i - 1; j >= 0; j--) {
        if (!lines[j].isBlank()) {
          Matcher m = marker.matcher(lines[j].trim());
          example = m.matches() ? m.group(1) : null;
          break;
        }
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.length && !lines[i].trim().equals("```"); i++) {
        text.append(lines[i]).append('\n');
      }
      assertThat(i).as("the block at line %d is closed", start + 1).isLessThan(lines.length);
      blocks.add(new Block(language, example, text.toString(), start + 1));
    }
    return blocks;
  }

  private static Set<String> jsonProperties(Class<?> type) {
    List<BeanPropertyDefinition> properties =
        AgentGateway.JSON
            .getSerializationConfig()
            .introspect(AgentGateway.JSON.constructType(type))
            .findProperties();
    return properties.stream().map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> values = new HashSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static String minutes(Duration d) {
    assertThat(d.toSecondsPart()).isZero();
    return d.toMinutes() + "m";
  }
}
