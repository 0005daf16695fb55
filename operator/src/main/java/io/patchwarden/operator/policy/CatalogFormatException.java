package io.patchwarden.operator.policy;

/**
 * A Known Exploited Vulnerabilities catalogue that cannot be used. Checked, because a bad feed is
 * an expected condition (a truncated download, a hand-edited ConfigMap) that callers must decide
 * how to report, not a programming error.
 */
public class CatalogFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and where, e.g. {@code vulnerabilities[3].cveID: missing}
   */
  public CatalogFormatException(String message) {
    super(message);
  }
}
