package io.patchwarden.operator.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations of an RFC 6902 JSON patch, to be serialised as a list. */
public final class JsonPatch {
  private JsonPatch() {}

  public static Map<String, Object> add(String path, Object value) {
    return op("add", path, value);
  }

  public static Map<String, Object> replace(String path, Object value) {
    return op("replace", path, value);
  }

  /** Fails the whole patch (422) unless the value at {@code path} equals {@code value}. */
  public static Map<String, Object> test(String path, Object value) {
    return op("test", path, value);
  }

  public static Map<String, Object> remove(String path) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", "remove");
    m.put("path", path);
    return m;
  }

  /** A JSON pointer to one annotation ({@code /} and {@code ~} escaped, RFC 6901). */
  public static String annotation(String key) {
    return "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    m.put("value", value);
    return m;
  }
}
