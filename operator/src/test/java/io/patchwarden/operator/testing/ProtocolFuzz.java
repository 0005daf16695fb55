package io.patchwarden.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random agent protocol bodies for the three routes (enroll, checkin, result): random JSON, valid
 * bodies with one value replaced (wrong type, huge string, negative or overflowing number, unicode,
 * null), deep nesting, truncated JSON and bytes that are not UTF-8. Each body says whether it is
 * invalid by construction (then the gateway must answer 400) or may be valid (then 200 or 400).
 * Plain {@link Random} so that jqwik's seeded source drives it.
 */
public final class ProtocolFuzz {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public enum Route {
    enroll,
    checkin,
    result
  }

  /**
   * @param mode how the body was made
   * @param invalid true when no correct gateway may accept it
   */
  public record Body(Route route, String mode, byte[] bytes, boolean invalid) {
    @Override
    public String toString() {
      String text = new String(bytes, StandardCharsets.UTF_8);
      return route
          + " ["
          + mode
          + "] "
          + (text.length() > 300
              ? text.substring(0, 300) + "... (" + bytes.length + " bytes)"
              : text);
    }
  }

  private final Random r;
  private final String token;

  /**
   * @param token the valid enrollment token, so that enroll bodies get past the token check
   */
  public ProtocolFuzz(Random random, String token) {
    this.r = random;
    this.token = token;
  }

  public Body next() {
    Route route = Route.values()[r.nextInt(3)];
    ObjectNode valid = valid(route);
    int choice = r.nextInt(10);
    return switch (choice) {
      case 0 -> new Body(route, "random-json", bytes(randomValue(4)), false);
      case 1 -> wrongType(route, valid);
      case 2 -> hugeString(route, valid);
      case 3 -> badNumber(route, valid);
      case 4 -> new Body(route, "unicode", bytes(replaceStrings(valid)), false);
      case 5 -> deep(route, valid);
      case 6 -> truncated(route, valid);
      case 7 -> notUtf8(route, valid);
      case 8 -> nulls(route, valid);
      default -> new Body(route, "valid", bytes(valid), false);
    };
  }

  /** A body every gateway must accept (with the right token or credential). */
  public ObjectNode valid(Route route) {
    ObjectNode o = F.objectNode();
    switch (route) {
      case enroll -> {
        o.put("token", token);
        o.put("machineId", "m-" + Long.toHexString(r.nextLong() | 1L << 62));
        o.put("hostname", "pc-" + r.nextInt(1000));
        o.put("osFamily", pick(List.of("Debian", "RedHat", "Windows")));
        o.put("osName", "Debian");
        o.put("osVersion", "12");
        o.put("timeZone", pick(List.of("Europe/Berlin", "UTC", "America/New_York")));
        o.putObject("labels").put("site", "berlin");
      }
      case checkin -> {
        ObjectNode i = o.putObject("inventory");
        i.put("hostname", "pc-" + r.nextInt(1000));
        i.put("osFamily", "Debian");
        i.put("osName", "Debian");
        i.put("osVersion", "12");
        i.put("kernelVersion", "6.1.0-28-amd64");
        i.put("rebootRequired", r.nextBoolean());
        i.put("installedUpdateCount", r.nextInt(5000));
        i.put("scannedAt", "2026-12-07T01:00:00Z");
        ArrayNode updates = i.putArray("pendingUpdates");
        for (int n = r.nextInt(4); n > 0; n--) {
          ObjectNode u = updates.addObject();
          u.put("id", "pkg" + n + "=1.0-" + r.nextInt(100));
          u.put("package", "pkg" + n);
          u.put("classification", pick(List.of("Security", "Bugfix", "Other")));
          u.put("severity", pick(List.of("Critical", "High", "Low", "Unspecified")));
          u.putArray("cves").add("CVE-2024-" + (1000 + r.nextInt(9000)));
          u.put("releaseDate", "2024-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10));
        }
      }
      default -> {
        o.put("run", "pp-" + r.nextInt(100) + "-20261207");
        ArrayNode updates = o.putArray("updates");
        for (int n = r.nextInt(3); n > 0; n--) {
          updates
              .addObject()
              .put("id", "pkg" + n + "=1.0")
              .put("result", pick(List.of("Installed", "Failed", "PendingReboot")))
              .put("message", "ok");
        }
        o.put("rebootPending", r.nextBoolean());
        o.put("finishedAt", "2026-12-07T01:30:00Z");
      }
    }
    return o;
  }

  // ---------------------------------------------------------------- mutations

  /** A required or typed value replaced by a value of another JSON type. */
  private Body wrongType(Route route, ObjectNode valid) {
    List<String[]> typed =
        switch (route) {
          case enroll ->
              List.of(
                  new String[] {"token"},
                  new String[] {"machineId"},
                  new String[] {"osFamily"},
                  new String[] {"labels"},
                  new String[] {"hostname"});
          case checkin ->
              List.of(
                  new String[] {"inventory"},
                  new String[] {"inventory", "osFamily"},
                  new String[] {"inventory", "rebootRequired"},
                  new String[] {"inventory", "installedUpdateCount"},
                  new String[] {"inventory", "pendingUpdates"});
          default ->
              List.of(
                  new String[] {"run"},
                  new String[] {"updates"},
                  new String[] {"rebootPending"},
                  new String[] {"finishedAt"});
        };
    String[] path = pick(typed);
    ObjectNode parent = valid;
    for (int i = 0; i < path.length - 1; i++) {
      parent = (ObjectNode) parent.get(path[i]);
    }
    // Objects and arrays never bind to a scalar, nor scalars to an object or a list.
    JsonNode old = parent.get(path[path.length - 1]);
    JsonNode replacement =
        old != null && old.isContainerNode()
            ? pick(List.<JsonNode>of(F.textNode("x"), F.numberNode(7), F.booleanNode(true)))
            : r.nextBoolean() ? F.objectNode().put("a", 1) : F.arrayNode().add(1);
    parent.set(path[path.length - 1], replacement);
    return new Body(route, "wrong-type", bytes(valid), true);
  }

  /** One string 600 to 300,000 characters long: above every field's limit. */
  private Body hugeString(Route route, ObjectNode valid) {
    // Longer than the longest field (the token, 512).
    int length = r.nextInt(4) == 0 ? 100_000 + r.nextInt(200_000) : 600 + r.nextInt(5_000);
    String huge = unicode(length);
    String field =
        switch (route) {
          case enroll -> pick(List.of("token", "hostname", "osName", "agentVersion", "machineId"));
          case checkin -> pick(List.of("hostname", "osName", "kernelVersion", "agentVersion"));
          default -> "run";
        };
    ObjectNode target = route == Route.checkin ? (ObjectNode) valid.get("inventory") : valid;
    target.put(field, huge);
    return new Body(route, "huge-string", bytes(valid), true);
  }

  /** A count that is negative or does not fit an int, or a number where a string belongs. */
  private Body badNumber(Route route, ObjectNode valid) {
    if (route == Route.checkin) {
      ObjectNode i = (ObjectNode) valid.get("inventory");
      switch (r.nextInt(4)) {
        case 0 -> i.put("installedUpdateCount", -1 - r.nextInt(Integer.MAX_VALUE));
        case 1 -> i.put("installedUpdateCount", (long) Integer.MAX_VALUE + 1 + r.nextInt(1000));
        case 2 -> i.put("installedUpdateCount", new java.math.BigInteger("9".repeat(40)));
        default -> i.put("installedUpdateCount", -1e300 * r.nextDouble() - 1);
      }
      return new Body(route, "bad-number", bytes(valid), true);
    }
    // A number for a string is read as its text: it may be accepted, never a 5xx.
    valid.put(route == Route.enroll ? "hostname" : "run", -r.nextLong());
    return new Body(route, "number-for-string", bytes(valid), false);
  }

  private Body deep(Route route, ObjectNode valid) {
    int depth = 200 + r.nextInt(5_000);
    StringBuilder b = new StringBuilder();
    boolean array = r.nextBoolean();
    b.append(array ? "[".repeat(depth) : "{\"a\":".repeat(depth));
    b.append("1");
    b.append(array ? "]".repeat(depth) : "}".repeat(depth));
    String nested = b.toString();
    String body = new String(bytes(valid), StandardCharsets.UTF_8);
    // Nested where the protocol has an object of known fields: the extra field is unknown.
    String text = "{\"extra\":" + nested + "," + body.substring(1);
    // Beyond Jackson's nesting limit (1000) it is invalid JSON; below it an unknown field.
    return new Body(route, "deep-nesting", text.getBytes(StandardCharsets.UTF_8), depth > 1000);
  }

  private Body truncated(Route route, ObjectNode valid) {
    byte[] all = bytes(valid);
    int cut = 1 + r.nextInt(all.length - 1);
    return new Body(route, "truncated", java.util.Arrays.copyOf(all, cut), true);
  }

  private Body notUtf8(Route route, ObjectNode valid) {
    byte[] all = bytes(valid);
    byte[] bad = new byte[all.length + 2];
    int at = 1 + r.nextInt(all.length - 2);
    System.arraycopy(all, 0, bad, 0, at);
    // Inside a string or between tokens: 0xC3 0x28 is an invalid two-byte sequence.
    bad[at] = (byte) 0xC3;
    bad[at + 1] = (byte) 0x28;
    System.arraycopy(all, at, bad, at + 2, all.length - at);
    return new Body(route, "not-utf8", bad, false);
  }

  private Body nulls(Route route, ObjectNode valid) {
    String field =
        switch (route) {
          case enroll -> pick(List.of("token", "machineId", "hostname", "osFamily"));
          case checkin -> "inventory";
          default -> pick(List.of("run", "updates"));
        };
    valid.putNull(field);
    return new Body(route, "required-null", bytes(valid), true);
  }

  // ---------------------------------------------------------------- values

  private JsonNode randomValue(int depth) {
    int kind = r.nextInt(depth <= 0 ? 5 : 7);
    return switch (kind) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(r.nextBoolean());
      case 2 -> r.nextBoolean() ? F.numberNode(r.nextLong()) : F.numberNode(r.nextDouble() * 1e10);
      case 3, 4 -> F.textNode(unicode(r.nextInt(40)));
      case 5 -> {
        ArrayNode a = F.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomValue(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        List<String> keys =
            List.of(
                "token",
                "machineId",
                "inventory",
                "pendingUpdates",
                "run",
                "updates",
                "osFamily",
                "labels",
                unicode(8));
        for (int i = r.nextInt(5); i > 0; i--) {
          o.set(pick(keys), randomValue(depth - 1));
        }
        yield o;
      }
    };
  }

  private ObjectNode replaceStrings(ObjectNode node) {
    node.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isTextual() && !f.getKey().equals("token") && r.nextInt(3) == 0) {
                f.setValue(F.textNode(unicode(1 + r.nextInt(30))));
              } else if (f.getValue().isObject()) {
                replaceStrings((ObjectNode) f.getValue());
              } else if (f.getValue().isArray()) {
                f.getValue()
                    .forEach(
                        e -> {
                          if (e.isObject()) {
                            replaceStrings((ObjectNode) e);
                          }
                        });
              }
            });
    return node;
  }

  private static final String[] ODD =
      new String[] {
        "\u0000", "\u202e", "\ufeff", "\u200b", "\ud83d\ude00", "\ud800", "\udfff", "\\", "\"",
        "\n", "ß", "日本", "é", "\u0301", "${jndi:ldap://x}", "%00", "../", "<script>"
      };

  private String unicode(int length) {
    StringBuilder b = new StringBuilder(length);
    while (b.length() < length) {
      if (r.nextInt(4) == 0) {
        b.append(ODD[r.nextInt(ODD.length)]);
      } else {
        b.append((char) (r.nextBoolean() ? 'a' + r.nextInt(26) : 0x20 + r.nextInt(0x3000)));
      }
    }
    return b.length() > length ? b.substring(0, length) : b.toString();
  }

  private <T> T pick(List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  /**
   * As UTF-8, or half of the time with every non-ASCII character escaped ({@code \\uD800}): only
   * escapes can carry a lone surrogate, which UTF-8 cannot encode.
   */
  private byte[] bytes(JsonNode node) {
    try {
      return r.nextBoolean()
          ? JSON.writer()
              .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
              .writeValueAsBytes(node)
          : JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
