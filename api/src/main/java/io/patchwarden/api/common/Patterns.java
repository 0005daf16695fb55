package io.patchwarden.api.common;

/**
 * Regular expressions shared by the CRD schema (through {@code @Pattern}) and the operator's own
 * validation. They must stay RE2-compatible because the API server evaluates them with Go's regexp.
 */
public final class Patterns {

  /** A duration such as {@code 30m}, {@code 4h}, {@code 2d} or {@code 1d12h}; days are 24 hours. */
  public static final String DURATION = "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

  /** A local time of day, {@code HH:MM}, 24-hour clock. */
  public static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

  /** A calendar date, {@code YYYY-MM-DD}. */
  public static final String DATE = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

  /** A calendar date or an RFC 3339 timestamp with an offset. */
  public static final String DATE_OR_TIMESTAMP =
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
          + "(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$";

  /** An IANA time zone name such as {@code Europe/Berlin}, or {@code Local}. */
  public static final String TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$";

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A CVE identifier, e.g. {@code CVE-2024-3094}. */
  public static final String CVE_ID = "^CVE-[0-9]{4}-[0-9]{4,}$";

  /** A condition reason in UpperCamelCase, as metav1.Condition requires. */
  public static final String CONDITION_REASON = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  /** A lower-case hex SHA-256 digest. */
  public static final String SHA256_HEX = "^[a-f0-9]{64}$";

  /**
   * CEL rule for an int-or-string field that is a count (at least {@code min}) or a percentage
   * between 0% and 100%. Used for rate limits and failure thresholds.
   */
  public static final String COUNT_OR_PERCENT_RULE =
      "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')";

  /**
   * Same as {@link #COUNT_OR_PERCENT_RULE} but zero is not allowed (a limit that admits nobody).
   */
  public static final String POSITIVE_COUNT_OR_PERCENT_RULE =
      "type(self) == int ? self >= 1 : self.matches('^(100|[1-9][0-9]?)%$')";

  private Patterns() {}
}
