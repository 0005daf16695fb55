package io.patchwarden.operator.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.agent.ErrorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the agent protocol over HTTPS (or plain HTTP for development) on the JDK's HTTP server:
 * bounded bodies (413), POST only (405), JSON answers, metrics per route and status code.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final String JSON = "application/json";

  private final HttpServer server;
  private final ExecutorService executor;

  private GatewayServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static GatewayServer start(
      AgentGateway gateway, GatewaySettings settings, MeterRegistry registry) throws IOException {
    InetSocketAddress address = new InetSocketAddress(settings.address(), settings.port());
    HttpServer server;
    if (settings.tls()) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(
              PemTls.sslContext(Path.of(settings.tlsCertificate()), Path.of(settings.tlsKey()))));
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    GatewayMetrics metrics = new GatewayMetrics(registry);
    Route enroll = (body, exchange) -> gateway.enroll(body, clientAddress(exchange));
    Route checkin =
        (body, exchange) -> gateway.checkin(body, authorization(exchange), clientAddress(exchange));
    Route result =
        (body, exchange) -> gateway.result(body, authorization(exchange), clientAddress(exchange));
    register(server, "/agent/v1/enroll", "enroll", enroll, settings, metrics);
    register(server, "/agent/v1/checkin", "checkin", checkin, settings, metrics);
    register(server, "/agent/v1/result", "result", result, settings, metrics);
    server.createContext(
        "/",
        exchange ->
            respond(
                exchange,
                new GatewayResponse(
                    404, new ErrorResponse("not_found", "no such endpoint", null), null)));
    ExecutorService executor =
        Executors.newFixedThreadPool(
            settings.threads(),
            r -> {
              Thread t = new Thread(r, "agent-gateway");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    LOG.info(
        "Agent gateway serving {} on {}",
        settings.tls() ? "HTTPS" : "plain HTTP (development only)",
        server.getAddress());
    return new GatewayServer(server, executor);
  }

  /**
   * Where lastSeen refreshes are written after the answer: two threads, a bounded queue (a full
   * queue drops the refresh; the next check-in retries).
   */
  public static ExecutorService refreshExecutor() {
    return new java.util.concurrent.ThreadPoolExecutor(
        2,
        2,
        0,
        java.util.concurrent.TimeUnit.MILLISECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(10_000),
        r -> {
          Thread t = new Thread(r, "agent-gateway-refresh");
          t.setDaemon(true);
          return t;
        },
        new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @FunctionalInterface
  private interface Route {
    GatewayResponse handle(byte[] body, HttpExchange exchange);
  }

  private static void register(
      HttpServer server,
      String path,
      String route,
      Route handler,
      GatewaySettings settings,
      GatewayMetrics metrics) {
    server.createContext(
        path,
        exchange -> {
          long started = System.nanoTime();
          GatewayResponse response = handle(exchange, handler, settings, path);
          respond(exchange, response);
          metrics.record(route, response.status(), System.nanoTime() - started);
        });
  }

  private static GatewayResponse handle(
      HttpExchange exchange, Route handler, GatewaySettings settings, String path) {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      return new GatewayResponse(
          404, new ErrorResponse("not_found", "no such endpoint", null), null);
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      return new GatewayResponse(
          405, new ErrorResponse("method_not_allowed", "use POST", null), null);
    }
    byte[] body;
    try {
      body = readBounded(exchange.getRequestBody(), settings.maxBodyBytes());
    } catch (IOException e) {
      return new GatewayResponse(
          400, new ErrorResponse("invalid_request", "could not read the body", null), null);
    }
    if (body == null) {
      return GatewayResponse.tooLarge(settings.maxBodyBytes());
    }
    return handler.handle(body, exchange);
  }

  /** Bodies this much over the limit are not even drained: the connection is dropped. */
  private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

  /**
   * The body, or null when it is longer than {@code limit}. An oversized body is drained (up to a
   * bound) so the client, still sending, receives the 413 instead of a reset connection.
   */
  static byte[] readBounded(InputStream in, int limit) throws IOException {
    byte[] body = in.readNBytes(limit + 1);
    if (body.length <= limit) {
      return body;
    }
    long skipped = 0;
    byte[] sink = new byte[64 * 1024];
    int n;
    while (skipped < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
      skipped += n;
    }
    return null;
  }

  private static void respond(HttpExchange exchange, GatewayResponse response) throws IOException {
    try (exchange) {
      byte[] bytes = AgentGateway.JSON.writeValueAsBytes(response.body());
      exchange.getResponseHeaders().set("Content-Type", JSON);
      if (response.retryAfter() != null) {
        long seconds = Math.max(1, (response.retryAfter().toMillis() + 999) / 1000);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
      }
      exchange.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String authorization(HttpExchange exchange) {
    return exchange.getRequestHeaders().getFirst("Authorization");
  }

  private static String clientAddress(HttpExchange exchange) {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
