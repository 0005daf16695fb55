package io.patchwarden.operator.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * An enrollment token from a Secret in a namespace labelled as an enrollment source.
 *
 * @param namespace where endpoints enrolling with it are created
 * @param secret the Secret's name (for logs and events; never the token)
 * @param token the token itself
 * @param expiresAt after this the token is refused (null: never)
 * @param labels labels every endpoint enrolled with it gets (they override the agent's proposals)
 */
public record EnrollmentToken(
    String namespace, String secret, String token, Instant expiresAt, Map<String, String> labels) {

  public EnrollmentToken {
    labels = Map.copyOf(labels);
  }

  public boolean validAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  /**
   * The unexpired token equal to {@code presented}. Every candidate is compared in constant time,
   * so response times do not reveal how much of a token was right.
   */
  public static Optional<EnrollmentToken> find(
      String presented, Collection<EnrollmentToken> tokens, Instant now) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    EnrollmentToken match = null;
    for (EnrollmentToken t : tokens) {
      if (MessageDigest.isEqual(given, t.token().getBytes(StandardCharsets.UTF_8))
          && t.validAt(now)) {
        match = t;
      }
    }
    return Optional.ofNullable(match);
  }

  @Override
  public String toString() {
    return "EnrollmentToken[" + namespace + "/" + secret + "]";
  }
}
