package io.patchwarden.operator.gateway;

import io.patchwarden.api.agent.ErrorResponse;
import java.time.Duration;

/**
 * An answer of the gateway, independent of the HTTP server.
 *
 * @param status HTTP status
 * @param body JSON body
 * @param retryAfter for 429, how long to wait (null otherwise)
 */
public record GatewayResponse(int status, Object body, Duration retryAfter) {

  static GatewayResponse ok(Object body) {
    return new GatewayResponse(200, body, null);
  }

  static GatewayResponse badRequest(Violation v) {
    return new GatewayResponse(
        400, new ErrorResponse("invalid_request", v.message(), v.field()), null);
  }

  /** Deliberately says nothing about which part was wrong. */
  static GatewayResponse unauthorized() {
    return new GatewayResponse(
        401,
        new ErrorResponse("unauthorized", "missing, unknown or replaced token or credential", null),
        null);
  }

  /**
   * A token that was valid once: saying so costs nothing (the caller holds the token) and tells the
   * person enrolling what to do.
   */
  static GatewayResponse tokenExpired() {
    return new GatewayResponse(
        401,
        new ErrorResponse(
            "unauthorized",
            "the enrollment token has expired; ask your administrator for a new one",
            null),
        null);
  }

  static GatewayResponse tooLarge(long limit) {
    return new GatewayResponse(
        413,
        new ErrorResponse("too_large", "request body exceeds " + limit + " bytes", null),
        null);
  }

  static GatewayResponse rateLimited(Duration wait) {
    return new GatewayResponse(
        429, new ErrorResponse("rate_limited", "too many requests; retry later", null), wait);
  }

  static GatewayResponse conflict(String message) {
    return new GatewayResponse(409, new ErrorResponse("conflict", message, null), null);
  }

  static GatewayResponse unavailable() {
    return new GatewayResponse(
        503,
        new ErrorResponse("unavailable", "the Kubernetes API is not reachable; retry later", null),
        Duration.ofSeconds(10));
  }
}
