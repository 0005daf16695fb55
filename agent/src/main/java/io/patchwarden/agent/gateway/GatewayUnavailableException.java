package io.patchwarden.agent.gateway;

import java.time.Duration;

/** A 5xx answer, an unreadable answer, or none at all: worth trying again later. */
public final class GatewayUnavailableException extends GatewayException {

  public GatewayUnavailableException(
      int status, Duration retryAfter, String message, Throwable cause) {
    super(status, retryAfter, message, cause);
  }

  @Override
  public String code() {
    return status() == 0 ? "io" : "http_" + status();
  }
}
