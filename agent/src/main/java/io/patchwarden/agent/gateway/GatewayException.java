package io.patchwarden.agent.gateway;

import java.time.Duration;
import java.util.Optional;

/** The gateway did not accept a call: it rejected it, or could not be reached or answer. */
public abstract sealed class GatewayException extends RuntimeException
    permits GatewayRejectedException, GatewayUnavailableException {

  private final int status;
  private final Duration retryAfter;

  GatewayException(int status, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status, or 0 when no answer came (connection refused, timeout, TLS). */
  public int status() {
    return status;
  }

  /** How long the gateway asked to wait ({@code Retry-After}), when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** A short stable name of the cause, for counters: the error code, http_503, or io. */
  public abstract String code();
}
