package io.patchwarden.operator.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The management port: {@code /healthz} (liveness), {@code /readyz} (readiness), {@code /metrics}
 * (Prometheus text format) and {@code /report} (the compliance report). Runs in every replica.
 */
public final class ManagementServer implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static ManagementServer start(
      String address,
      int port,
      Health health,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape,
      HttpHandler report)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext(
        "/healthz",
        exchange ->
            respond(exchange, health.live() ? 200 : 503, TEXT, health.live() ? "ok" : "failed"));
    server.createContext(
        "/readyz",
        exchange -> {
          Health.Readiness r = health.ready();
          respond(exchange, r.ready() ? 200 : 503, TEXT, r.ready() ? "ok" : r.detail());
        });
    server.createContext(
        "/metrics",
        exchange -> {
          // Gauges computed from the controllers' current view, fresh for every scrape.
          beforeScrape.run();
          respond(exchange, 200, PROMETHEUS, registry.scrape());
        });
    if (report != null) {
      server.createContext("/report", report);
    }
    server.createContext("/", exchange -> respond(exchange, 404, TEXT, "not found"));
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "management-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new ManagementServer(server, executor);
  }

  /** The port actually bound (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        code = 405;
        body = "method not allowed";
        contentType = TEXT;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
