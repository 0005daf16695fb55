package io.patchwarden.agent.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.patchwarden.agent.AgentVersion;
import io.patchwarden.agent.Json;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/** The agent protocol over HTTP(S) with the JDK's client: JSON bodies, bearer credentials. */
public final class HttpGatewayClient implements GatewayClient {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final String USER_AGENT = "patchwarden-agent/" + AgentVersion.get();

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Clock clock;

  /**
   * @param gateway the gateway's base URL; a path prefix (behind an ingress) is kept
   * @param http the client; shared by all endpoints of a simulator
   * @param requestTimeout how long one call may take from sending to the full answer
   * @param clock for Retry-After dates
   */
  public HttpGatewayClient(URI gateway, HttpClient http, Duration requestTimeout, Clock clock) {
    String s = gateway.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
  }

  /** A client for one agent, with the default timeouts. */
  public static HttpGatewayClient create(URI gateway, SSLContext tls) {
    return new HttpGatewayClient(
        gateway, httpClient(tls, null), REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /**
   * HTTP/1.1, because the gateway speaks it and h2c upgrade probes only cost round trips; no
   * redirects, because a credential must only ever go to the configured gateway.
   *
   * @param tls trust for a private CA, or null for the JDK's CAs
   * @param executor where responses are handled, or null for the client's own pool
   */
  public static HttpClient httpClient(SSLContext tls, Executor executor) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      builder.sslContext(tls);
    }
    if (executor != null) {
      builder.executor(executor);
    }
    return builder.build();
  }

  @Override
  public CompletableFuture<EnrollResponse> enroll(EnrollRequest request) {
    return post("agent/v1/enroll", null, request, EnrollResponse.class);
  }

  @Override
  public CompletableFuture<CheckinResponse> checkin(String credential, CheckinRequest request) {
    return post("agent/v1/checkin", credential, request, CheckinResponse.class);
  }

  @Override
  public CompletableFuture<ResultAck> report(String credential, ResultReport report) {
    return post("agent/v1/result", credential, report, ResultAck.class);
  }

  private <T> CompletableFuture<T> post(
      String path, String credential, Object body, Class<T> type) {
    byte[] json;
    try {
      json = Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw unreachable(failure);
              }
              return decode(response, type);
            });
  }

  private <T> T decode(HttpResponse<byte[]> response, Class<T> type) {
    int status = response.statusCode();
    Duration retryAfter =
        RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock)
            .orElse(null);
    if (status >= 200 && status < 300) {
      try {
        return Json.MAPPER.readValue(response.body(), type);
      } catch (IOException e) {
        throw new GatewayUnavailableException(
            status, null, "unreadable answer from the gateway: " + e.getMessage(), e);
      }
    }
    ErrorResponse error = errorResponse(response.body());
    if (status >= 400 && status < 500) {
      throw new GatewayRejectedException(status, error, retryAfter);
    }
    throw new GatewayUnavailableException(
        status,
        retryAfter,
        "gateway answered "
            + status
            + (error != null && error.message() != null ? ": " + error.message() : ""),
        null);
  }

  /** The body of an error answer, when it is the gateway's JSON and not a proxy's HTML page. */
  private static ErrorResponse errorResponse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(body, ErrorResponse.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static GatewayException unreachable(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof GatewayException g) {
      return g;
    }
    return new GatewayUnavailableException(
        0,
        null,
        "gateway not reachable: " + cause.getClass().getSimpleName() + " " + cause.getMessage(),
        cause);
  }
}
