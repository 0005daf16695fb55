package io.patchwarden.api.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.NullValue;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Validates objects against a CRD's structural schema the way kube-apiserver does, so that plain
 * unit and mock-server tests reject what a real cluster would reject.
 *
 * <p>Why: the fabric8 mock server stores whatever it is sent, and the API server of the integration
 * tier (1.20) predates CEL validation rules ({@code x-kubernetes-validations}, beta in 1.25), so
 * neither enforces a single rule of our CRDs. A rule that never runs can be silently wrong; this
 * class runs them all.
 *
 * <p>What {@link #validate} does, in kube-apiserver's order:
 *
 * <ol>
 *   <li>On a copy: drops {@code null} from non-nullable fields and fills in {@code default}s.
 *   <li>Checks the whole object with networknt against the {@code openAPIV3Schema} translated to
 *       JSON Schema draft-04 ({@code x-kubernetes-int-or-string} becomes integer|string, {@code
 *       nullable} adds null, unchecked OpenAPI formats such as int32 are dropped). Unlike
 *       kube-apiserver, which silently prunes unknown fields, an unknown field is <em>rejected</em>
 *       wherever the schema has no {@code additionalProperties} and no {@code
 *       x-kubernetes-preserve-unknown-fields}, so typos fail tests. {@code metadata} may hold
 *       anything; {@code apiVersion} and {@code kind}, when set, must name this CRD.
 *   <li>Evaluates every CEL rule with dev.cel at the node that declares it (for {@code items} and
 *       {@code additionalProperties}: at every element), {@code self} bound to that node. A rule
 *       that is false, or fails to evaluate (e.g. {@code self.x} with x absent), is a violation.
 *       {@code oldSelf} is bound to {@code self} (a create is checked as an unchanged update);
 *       {@link #validateUpdate} binds it to the old value and skips transition rules where there is
 *       none, as Kubernetes does.
 * </ol>
 *
 * <p>Limits: the Kubernetes-only CEL libraries (quantity, url, ip, cidr, format, authz and the
 * Kubernetes list functions) are missing, so a rule using one fails {@link #compileAllRules()}: add
 * the function here when a CRD needs it. {@code messageExpression}, cost limits and validation
 * ratcheting are ignored, and {@code format}ted strings stay strings in CEL.
 */
public final class CrdSchemaValidator {

  /** A CEL rule: the schema path that declares it ({@code [*]}: every element) and its text. */
  public record Rule(String path, String rule) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final Set<String> CHECKED_FORMATS =
      Set.of("date-time", "date", "email", "hostname", "ipv4", "ipv6", "uri", "uuid");
  private static final Set<String> JSON_SCHEMA_KEYWORDS =
      Set.of(
          "type",
          "enum",
          "required",
          "pattern",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "multipleOf",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "uniqueItems",
          "minProperties",
          "maxProperties");
  private static final CelOptions CEL_OPTIONS =
      CelOptions.current()
          .enableRegexPartialMatch(true) // matches() is RE2 partial match, as in cel-go
          .enableHeterogeneousNumericComparisons(true)
          .build();
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setOptions(CEL_OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(CEL_OPTIONS))
          .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(CEL_OPTIONS))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final Map<String, CrdSchemaValidator> BY_PLURAL = new ConcurrentHashMap<>();

  private final JsonNode schema;
  private final String kind;
  private final JsonSchema jsonSchema;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  private CrdSchemaValidator(JsonNode schema, String kind, List<String> apiVersions) {
    this.schema = schema;
    this.kind = kind;
    ObjectNode root = toJsonSchema(schema, false);
    ObjectNode properties =
        root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
    ArrayNode versions = properties.putObject("apiVersion").put("type", "string").putArray("enum");
    apiVersions.forEach(versions::add);
    properties.putObject("kind").put("type", "string").putArray("enum").add(kind);
    JsonNode metadata = schema.path("properties").path("metadata");
    properties.set(
        "metadata",
        metadata.isObject()
            ? toJsonSchema(metadata, true)
            : JSON.createObjectNode().put("type", "object"));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .locale(Locale.ENGLISH)
            .formatAssertionsEnabled(true)
            .build();
    this.jsonSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root, config);
  }

  /** The CRD generated for {@code <plural>.patchwarden.io}, read from the class path. */
  public static CrdSchemaValidator forKind(String plural) {
    return BY_PLURAL.computeIfAbsent(
        plural,
        p -> {
          String resource = "META-INF/fabric8/" + p + ".patchwarden.io-v1.yml";
          try (InputStream in =
              CrdSchemaValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
              throw new IllegalArgumentException("No generated CRD on the class path: " + resource);
            }
            return fromYaml(new String(in.readAllBytes(), UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A CustomResourceDefinition (apiextensions.k8s.io/v1); its storage version's schema is used. */
  public static CrdSchemaValidator fromYaml(String crdYaml) {
    JsonNode spec;
    try {
      spec = YAML.readTree(crdYaml).path("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<JsonNode> versions =
        StreamSupport.stream(spec.path("versions").spliterator(), false).toList();
    JsonNode version =
        versions.stream()
            .filter(v -> v.path("storage").asBoolean())
            .findFirst()
            .orElse(versions.isEmpty() ? JSON.missingNode() : versions.get(0));
    JsonNode schema = version.path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException("The CRD has no spec.versions[].schema.openAPIV3Schema");
    }
    List<String> apiVersions =
        versions.stream()
            .filter(v -> v.path("served").asBoolean(true))
            .map(v -> spec.path("group").asText() + "/" + v.path("name").asText())
            .toList();
    return new CrdSchemaValidator(schema, spec.path("names").path("kind").asText(), apiVersions);
  }

  /**
   * Violations of a new object ({@link JsonNode}, {@code Map} or a Jackson-serializable model
   * object), each as {@code <path>: <problem>}, e.g. {@code spec.recurrence.weekly.days[0]: must be
   * one of [Friday, Monday, ...]}; empty when kube-apiserver would accept it.
   */
  public List<String> validate(Object object) {
    JsonNode tree = prepare(object);
    return check(tree, tree);
  }

  /** Like {@link #validate}, for an update: {@code oldSelf} is the old object's value. */
  public List<String> validateUpdate(Object oldObject, Object newObject) {
    return check(prepare(oldObject), prepare(newObject));
  }

  /**
   * Compiles every CEL rule of the schema, as kube-apiserver does when the CRD is applied.
   *
   * @return every rule, in schema order
   * @throws IllegalStateException naming each rule that does not compile or uses {@code oldSelf}
   *     where there can be no old value (under the items of an atomic list)
   */
  public List<Rule> compileAllRules() {
    List<Rule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    collectRules(schema, "", true, rules, errors);
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          kind
              + ": "
              + errors.size()
              + " CEL rule(s) do not compile:\n"
              + String.join("\n", errors));
    }
    return rules;
  }

  private void collectRules(
      JsonNode s, String path, boolean correlatable, List<Rule> rules, List<String> errors) {
    for (JsonNode r : s.path("x-kubernetes-validations")) {
      String rule = r.path("rule").asText();
      try {
        if (!correlatable && OLD_SELF.matcher(rule).find()) {
          throw new IllegalArgumentException("oldSelf under the items of an atomic list");
        }
        program(s, path, rule);
        rules.add(new Rule(at(path), rule));
      } catch (RuntimeException e) {
        errors.add(at(path) + ": " + rule + "\n    " + e.getMessage());
      }
    }
    for (var p : s.path("properties").properties()) {
      collectRules(p.getValue(), child(path, p.getKey()), correlatable, rules, errors);
    }
    if (s.path("additionalProperties").isObject()) {
      collectRules(s.get("additionalProperties"), path + "[*]", correlatable, rules, errors);
    }
    if (s.path("items").isObject()) {
      boolean keyed = Set.of("map", "set").contains(s.path("x-kubernetes-list-type").asText());
      collectRules(s.get("items"), path + "[*]", correlatable && keyed, rules, errors);
    }
  }

  private List<String> check(JsonNode old, JsonNode object) {
    List<String> violations = new ArrayList<>();
    for (ValidationMessage m : jsonSchema.validate(object)) {
      violations.add(describe(m));
    }
    checkRules(schema, object, old, "", "", violations);
    return violations.stream().distinct().toList();
  }

  /** Evaluates the rules at a node, then at its children; the schema path keys the programs. */
  private void checkRules(
      JsonNode s, JsonNode value, JsonNode old, String path, String schemaPath, List<String> out) {
    if (value == null || value.isNull() || !hasSchemaType(s, value)) {
      return; // a type error is already reported by the schema check
    }
    for (JsonNode r : s.path("x-kubernetes-validations")) {
      String rule = r.path("rule").asText();
      boolean transition = OLD_SELF.matcher(rule).find();
      if (transition && (old == null || old.isNull() || !hasSchemaType(s, old))) {
        continue; // no old value: Kubernetes skips transition rules
      }
      String where = at(child(path, r.path("fieldPath").asText("").replaceFirst("^\\.", "")));
      String message = r.has("message") ? r.get("message").asText() : "failed rule: " + rule;
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("self", toCel(s, value));
      vars.put("oldSelf", toCel(s, transition ? old : value));
      try {
        if (!Boolean.TRUE.equals(program(s, schemaPath, rule).eval(vars))) {
          out.add(where + ": " + message);
        }
      } catch (CelEvaluationException e) {
        out.add(where + ": " + message + " (evaluation error: " + e.getMessage() + ")");
      }
    }
    if (value.isObject()) {
      JsonNode properties = s.path("properties");
      JsonNode extra = s.path("additionalProperties");
      for (var f : value.properties()) {
        String name = f.getKey();
        JsonNode was = old == null ? null : old.get(name);
        if (properties.has(name)) {
          checkRules(
              properties.get(name),
              f.getValue(),
              was,
              child(path, name),
              child(schemaPath, name),
              out);
        } else if (extra.isObject()) {
          checkRules(extra, f.getValue(), was, path + "[" + name + "]", schemaPath + "[*]", out);
        }
      }
    } else if (value.isArray() && s.path("items").isObject()) {
      Set<List<JsonNode>> keys = new HashSet<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        if ("map".equals(s.path("x-kubernetes-list-type").asText())
            && !keys.add(mapKeys(s, item))) {
          out.add(at(path + "[" + i + "]") + ": Duplicate value: " + mapKeys(s, item));
        }
        checkRules(
            s.get("items"),
            item,
            correlate(s, old, item),
            path + "[" + i + "]",
            schemaPath + "[*]",
            out);
      }
    }
  }

  private CelRuntime.Program program(JsonNode s, String schemaPath, String rule) {
    return programs.computeIfAbsent(
        schemaPath + "\u0000" + rule,
        k -> {
          CelType self = celType(s);
          Cel env = CEL.toCelBuilder().addVar("self", self).addVar("oldSelf", self).build();
          try {
            return env.createProgram(env.compile(rule).getAst());
          } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }

  /** The CEL type Kubernetes declares for a schema node (objects as map(string, dyn)). */
  private static CelType celType(JsonNode s) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      return SimpleType.DYN;
    }
    return switch (s.path("type").asText()) {
      case "object" ->
          s.path("additionalProperties").isObject() && !s.has("properties")
              ? MapType.create(SimpleType.STRING, celType(s.get("additionalProperties")))
              : MapType.create(SimpleType.STRING, SimpleType.DYN);
      case "array" -> ListType.create(s.has("items") ? celType(s.get("items")) : SimpleType.DYN);
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      default -> SimpleType.DYN;
    };
  }

  /** A JSON value as CEL sees it: Long, Double, String, Boolean, List, Map or null. */
  private static Object toCel(JsonNode s, JsonNode v) {
    if (v.isNull()) {
      return NullValue.NULL_VALUE;
    } else if (v.isIntegralNumber() && !"number".equals(s.path("type").asText())) {
      return v.longValue();
    } else if (v.isNumber()) {
      return v.doubleValue();
    } else if (v.isBoolean()) {
      return v.booleanValue();
    } else if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      v.forEach(e -> list.add(toCel(s.path("items"), e)));
      return list;
    } else if (v.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (var f : v.properties()) {
        JsonNode declared = s.path("properties").path(f.getKey());
        JsonNode fieldSchema = declared.isMissingNode() ? s.path("additionalProperties") : declared;
        map.put(f.getKey(), toCel(fieldSchema, f.getValue()));
      }
      return map;
    }
    return v.asText();
  }

  private static boolean hasSchemaType(JsonNode s, JsonNode v) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      return v.isIntegralNumber() || v.isTextual();
    }
    return switch (s.path("type").asText()) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  /** The old element matching a new one: by key in a map-list, by value in a set, else none. */
  private static JsonNode correlate(JsonNode listSchema, JsonNode oldList, JsonNode item) {
    if (oldList == null || !oldList.isArray()) {
      return null;
    }
    for (JsonNode was : oldList) {
      switch (listSchema.path("x-kubernetes-list-type").asText()) {
        case "set" -> {
          if (was.equals(item)) {
            return was;
          }
        }
        case "map" -> {
          if (mapKeys(listSchema, was).equals(mapKeys(listSchema, item))) {
            return was;
          }
        }
        default -> {
          return null; // atomic lists are not correlated
        }
      }
    }
    return null;
  }

  private static List<JsonNode> mapKeys(JsonNode listSchema, JsonNode item) {
    List<JsonNode> keys = new ArrayList<>();
    listSchema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(item.get(k.asText())));
    return keys;
  }

  /** Translates a structural-schema node to JSON Schema draft-04; open: no unknown-field check. */
  private static ObjectNode toJsonSchema(JsonNode s, boolean open) {
    ObjectNode out = JSON.createObjectNode();
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean();
    for (var e : s.properties()) {
      String keyword = e.getKey();
      JsonNode v = e.getValue();
      switch (keyword) {
        case "properties" -> {
          ObjectNode properties = out.putObject(keyword);
          v.properties().forEach(p -> properties.set(p.getKey(), toJsonSchema(p.getValue(), open)));
        }
        case "items", "not", "additionalProperties" ->
            out.set(keyword, v.isObject() ? toJsonSchema(v, open) : v);
        case "allOf", "anyOf", "oneOf" -> {
          // value validations only: their properties never make a field unknown
          boolean onlyTypes =
              StreamSupport.stream(v.spliterator(), false)
                  .allMatch(b -> b.size() == 1 && b.has("type"));
          if (!(intOrString && onlyTypes)) {
            ArrayNode branches = out.putArray(keyword);
            v.forEach(b -> branches.add(toJsonSchema(b, true)));
          }
        }
        case "format" -> {
          if (CHECKED_FORMATS.contains(v.asText())) {
            out.set(keyword, v);
          }
        }
        default -> {
          if (JSON_SCHEMA_KEYWORDS.contains(keyword)) {
            out.set(keyword, v);
          }
        }
      }
    }
    if (intOrString) {
      out.set("type", JSON.createArrayNode().add("integer").add("string"));
    }
    if (s.path("nullable").asBoolean() && out.has("type")) {
      ArrayNode types = JSON.createArrayNode();
      if (out.get("type").isArray()) {
        types.addAll((ArrayNode) out.get("type"));
      } else {
        types.add(out.get("type"));
      }
      out.set("type", types.add("null"));
      if (out.has("enum")) {
        out.set("enum", ((ArrayNode) out.get("enum").deepCopy()).addNull());
      }
    }
    if (s.path("x-kubernetes-embedded-resource").asBoolean()) {
      ObjectNode properties =
          out.has("properties") ? (ObjectNode) out.get("properties") : out.putObject("properties");
      properties.putObject("apiVersion").put("type", "string");
      properties.putObject("kind").put("type", "string");
      properties.putObject("metadata").put("type", "object");
    }
    if ("object".equals(s.path("type").asText())
        && !open
        && !s.has("additionalProperties")
        && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  /** A copy of the object with nulls pruned and defaults applied, as kube-apiserver stores it. */
  private JsonNode prepare(Object object) {
    JsonNode tree = object instanceof JsonNode node ? node.deepCopy() : JSON.valueToTree(object);
    if (!tree.isObject()) {
      throw new IllegalArgumentException("Not an object: " + tree);
    }
    applyDefaults(schema, tree);
    return tree;
  }

  private static void applyDefaults(JsonNode s, JsonNode v) {
    if (v instanceof ObjectNode o) {
      for (var p : s.path("properties").properties()) {
        JsonNode field = o.get(p.getKey());
        if (field != null && field.isNull() && !p.getValue().path("nullable").asBoolean()) {
          o.remove(p.getKey());
        }
        if (!o.has(p.getKey()) && p.getValue().has("default")) {
          o.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
      }
      for (var f : o.properties()) {
        JsonNode declared = s.path("properties").path(f.getKey());
        applyDefaults(
            declared.isMissingNode() ? s.path("additionalProperties") : declared, f.getValue());
      }
    } else if (v instanceof ArrayNode a && s.path("items").isObject()) {
      a.forEach(e -> applyDefaults(s.get("items"), e));
    }
  }

  /** A networknt message as {@code <path>: <problem>}. */
  private String describe(ValidationMessage m) {
    String path = path(m.getInstanceLocation());
    String error = m.getMessage();
    String location = m.getInstanceLocation() + ": ";
    if (error.startsWith(location)) {
      error = error.substring(location.length());
    }
    return switch (m.getType()) {
      case "required" -> at(child(path, m.getProperty())) + ": Required value";
      case "additionalProperties" -> at(child(path, m.getProperty())) + ": unknown field";
      case "enum" -> at(path) + ": must be one of " + enumValues(m.getSchemaNode());
      default -> at(path) + ": " + error;
    };
  }

  private static String enumValues(JsonNode values) {
    List<String> texts = new ArrayList<>();
    values.forEach(v -> texts.add(v.isTextual() ? v.asText() : v.toString()));
    return texts.toString();
  }

  /** A JSON location in Kubernetes field-path style: {@code spec.labels[key]}, {@code items[0]}. */
  private String path(JsonNodePath location) {
    String path = "";
    JsonNode s = schema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path += "[" + index + "]";
        s = s.path("items");
      } else if (s.path("properties").has(element.toString())
          || !s.path("additionalProperties").isObject()) {
        path = child(path, element.toString());
        s = s.path("properties").path(element.toString());
      } else {
        path += "[" + element + "]";
        s = s.path("additionalProperties");
      }
    }
    return path;
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : name.isEmpty() ? path : path + "." + name;
  }

  private static String at(String path) {
    return path.isEmpty() ? "<root>" : path;
  }
}
