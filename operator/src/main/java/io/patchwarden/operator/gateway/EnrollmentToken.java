package io.patchwarden.operator.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
   * The unexpired token equal to {@code presented}. Every candidate is compared, each as the
   * SHA-256 of both sides with {@link MessageDigest#isEqual} (constant time over 32 bytes), so
   * response times reveal neither how much of a token was right nor how long the tokens are.
   */
  public static Optional<EnrollmentToken> find(
      String presented, Collection<EnrollmentToken> tokens, Instant now) {
    return matching(presented, tokens).stream().filter(t -> t.validAt(now)).findFirst();
  }

  /** Whether {@code presented} is a token that has expired (for a clearer refusal). */
  public static boolean expired(String presented, Collection<EnrollmentToken> tokens, Instant now) {
    List<EnrollmentToken> matches = matching(presented, tokens);
    return !matches.isEmpty() && matches.stream().noneMatch(t -> t.validAt(now));
  }

  /** Every token equal to {@code presented}; every candidate is compared, match or not. */
  private static List<EnrollmentToken> matching(
      String presented, Collection<EnrollmentToken> tokens) {
    if (presented == null || presented.isEmpty()) {
      return List.of();
    }
    byte[] given = digest(presented);
    List<EnrollmentToken> matches = new ArrayList<>(1);
    for (EnrollmentToken t : tokens) {
      if (MessageDigest.isEqual(given, digest(t.token()))) {
        matches.add(t);
      }
    }
    return matches;
  }

  /** The fixed-length form every comparison is made on. */
  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  @Override
  public String toString() {
    return "EnrollmentToken[" + namespace + "/" + secret + "]";
  }
}
