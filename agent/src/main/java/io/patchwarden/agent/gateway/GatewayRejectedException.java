package io.patchwarden.agent.gateway;

import io.patchwarden.api.agent.ErrorResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A 4xx answer: the request itself was refused (invalid_request, unauthorized, too_large,
 * rate_limited, ...). Carries the gateway's {@link ErrorResponse} when it sent one.
 */
public final class GatewayRejectedException extends GatewayException {

  private final ErrorResponse error;

  public GatewayRejectedException(int status, ErrorResponse error, Duration retryAfter) {
    super(status, retryAfter, describe(status, error), null);
    this.error = error;
  }

  public Optional<ErrorResponse> error() {
    return Optional.ofNullable(error);
  }

  /** 429: the request was fine, the caller was too fast. */
  public boolean rateLimited() {
    return status() == 429;
  }

  /** 401: the credential (or enrollment token) is not, or no longer, valid. */
  public boolean unauthorized() {
    return status() == 401;
  }

  @Override
  public String code() {
    return error != null && error.error() != null ? error.error() : "http_" + status();
  }

  private static String describe(int status, ErrorResponse error) {
    if (error == null) {
      return "gateway answered " + status;
    }
    return "gateway answered "
        + status
        + " "
        + error.error()
        + (error.message() == null ? "" : ": " + error.message())
        + (error.field() == null ? "" : " (" + error.field() + ")");
  }
}
