package io.patchwarden.operator.gateway;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret format of enrollment tokens (docs/agent-protocol.md):
 *
 * <pre>
 * apiVersion: v1
 * kind: Secret
 * metadata:
 *   name: laptops-token
 *   namespace: office                         # labelled patchwarden.io/enrollment=true
 *   labels: {patchwarden.io/enrollment-token: "true"}
 *   annotations:
 *     patchwarden.io/expires-at: "2027-01-31T00:00:00Z"   # optional
 *     patchwarden.io/labels: "role=laptop,department=it" # optional, granted to every endpoint
 * stringData:
 *   token: "a long random string"
 * </pre>
 */
public final class EnrollmentSecrets {
  /** Label selecting token Secrets. */
  public static final String TOKEN_LABEL = "patchwarden.io/enrollment-token";

  public static final String TOKEN_KEY = "token";
  public static final String EXPIRES_AT = "patchwarden.io/expires-at";
  public static final String LABELS = "patchwarden.io/labels";

  /** Tokens shorter than this are refused: they could be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private EnrollmentSecrets() {}

  /** The token of a Secret, or empty (with the reason in the exception) when it is unusable. */
  public static Optional<EnrollmentToken> parse(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String encoded = data.get(TOKEN_KEY);
    if (encoded == null) {
      return Optional.empty();
    }
    String token;
    try {
      token = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      return Optional.empty();
    }
    Map<String, String> annotations =
        secret.getMetadata().getAnnotations() == null
            ? Map.of()
            : secret.getMetadata().getAnnotations();
    Optional<Instant> expires = expiry(annotations.get(EXPIRES_AT));
    if (annotations.get(EXPIRES_AT) != null && expires.isEmpty()) {
      return Optional.empty(); // an unreadable expiry must not mean "never expires"
    }
    Optional<Map<String, String>> labels = labels(annotations.get(LABELS));
    if (labels.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new EnrollmentToken(
            secret.getMetadata().getNamespace(),
            secret.getMetadata().getName(),
            token,
            expires.orElse(null),
            labels.get()));
  }

  private static Optional<Instant> expiry(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.trim()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code k=v,k2=v2}; empty Optional when malformed. */
  static Optional<Map<String, String>> labels(String value) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return Optional.of(labels);
    }
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return Optional.of(labels);
  }
}
