package io.patchwarden.operator.report;

import io.patchwarden.api.endpoint.ComplianceState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a {@code GET /report} asks for: a format and optional filters.
 *
 * @param namespace only this namespace, or null for every namespace the caller may read
 * @param policy only this policy, or null
 * @param state only targets in this compliance state, or null
 */
public record ReportQuery(Format format, String namespace, String policy, ComplianceState state) {

  /** The formats, with their content types. */
  public enum Format {
    html("text/html; charset=utf-8"),
    csv("text/csv; charset=utf-8"),
    json("application/json");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  /**
   * Parses a raw query string ({@code format=csv&namespace=acme}).
   *
   * @throws IllegalArgumentException naming the parameter and what is allowed
   */
  public static ReportQuery parse(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (params.put(key, value) != null) {
          throw new IllegalArgumentException("parameter '" + key + "' is given more than once");
        }
      }
    }
    for (String key : params.keySet()) {
      if (!key.equals("format")
          && !key.equals("namespace")
          && !key.equals("policy")
          && !key.equals("state")) {
        throw new IllegalArgumentException(
            "unknown parameter '" + key + "'; use format, namespace, policy, state");
      }
    }
    return new ReportQuery(
        format(params.getOrDefault("format", "html")),
        name(params.get("namespace"), "namespace"),
        name(params.get("policy"), "policy"),
        state(params.get("state")));
  }

  private static Format format(String value) {
    try {
      return Format.valueOf(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "format '" + value + "' is not one of " + Arrays.toString(Format.values()), e);
    }
  }

  private static String name(String value, String parameter) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          parameter + " '" + value + "' is not a Kubernetes object name");
    }
    return value;
  }

  private static ComplianceState state(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    for (ComplianceState s : ComplianceState.values()) {
      if (s.name().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "state '" + value + "' is not one of " + Arrays.toString(ComplianceState.values()));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
