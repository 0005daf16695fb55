package io.patchwarden.operator.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Per-endpoint credentials: {@code pw1.<base64url(namespace/name)>.<base64url(32 random bytes)>}.
 *
 * <p>The credential names its endpoint so the gateway finds it with one cache lookup (no index of
 * hashes, no miss right after enrollment while caches catch up); only the SHA-256 of the whole
 * credential is stored on the endpoint, and the 256 random bits make it unguessable.
 */
public final class Credentials {
  static final String PREFIX = "pw1";
  private static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

  private Credentials() {}

  /** A fresh credential and the hash to store. */
  public record Issued(String credential, String sha256) {
    @Override
    public String toString() {
      return "Issued[sha256=" + sha256 + "]"; // never log the credential
    }
  }

  /** The endpoint a credential claims to belong to (not yet verified). */
  public record EndpointRef(String namespace, String name) {}

  public static Issued issue(String namespace, String name) {
    byte[] secret = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(secret);
    String id = B64.encodeToString((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
    String credential = PREFIX + "." + id + "." + B64.encodeToString(secret);
    return new Issued(credential, sha256(credential));
  }

  /** The endpoint a well-formed credential names; empty for anything else. */
  public static Optional<EndpointRef> endpointOf(String credential) {
    if (credential == null || credential.length() > 1024) {
      return Optional.empty();
    }
    String[] parts = credential.split("\\.", -1);
    if (parts.length != 3 || !PREFIX.equals(parts[0]) || parts[2].isEmpty()) {
      return Optional.empty();
    }
    try {
      String id = new String(B64_DECODE.decode(parts[1]), StandardCharsets.UTF_8);
      int slash = id.indexOf('/');
      if (slash <= 0 || slash == id.length() - 1) {
        return Optional.empty();
      }
      return Optional.of(new EndpointRef(id.substring(0, slash), id.substring(slash + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether a presented credential matches a stored hash, in constant time. */
  public static boolean matches(String credential, String storedSha256) {
    if (credential == null || storedSha256 == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sha256(credential).getBytes(StandardCharsets.US_ASCII),
        storedSha256.getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256(String value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
