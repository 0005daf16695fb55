package io.patchwarden.operator.policy;

import java.util.List;

/**
 * Some compliance entries could not be written; the pass is retried with backoff. Carries the first
 * cause and counts the rest instead of logging each one.
 */
public class ComplianceWriteException extends Exception {
  public ComplianceWriteException(String policy, int failed, List<Exception> causes) {
    super(
        "could not write the compliance of policy "
            + policy
            + " to "
            + failed
            + " ManagedEndpoint(s); first error: "
            + causes.get(0).getMessage(),
        causes.get(0));
    causes.stream().skip(1).forEach(this::addSuppressed);
  }
}
