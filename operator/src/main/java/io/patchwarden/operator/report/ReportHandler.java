package io.patchwarden.operator.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /report?format=html|csv|json&namespace=&policy=&state=} on the management port. The
 * response is streamed (chunked) as the report is read, so its size does not depend on memory. Bad
 * parameters get a 400 naming the parameter; a missing or rejected token a 401.
 */
public final class ReportHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReportHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  /** Reports written at once; more get 503 (the port's probes must never wait behind them). */
  static final int CONCURRENT_REPORTS = 2;

  private final ReportSource source;
  private final ReportAccess access;
  private final Semaphore slots = new Semaphore(CONCURRENT_REPORTS);
  private final ExecutorService writers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "report-writer");
            t.setDaemon(true);
            return t;
          });

  public ReportHandler(KubernetesClient client, Clock clock, ReportAccess access) {
    this.source = new ReportSource(client, clock);
    this.access = access;
  }

  /**
   * Hands the report to its own threads, so that /healthz, /readyz and /metrics stay answered on
   * the management pool however long a report takes to stream to a slow reader.
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!slots.tryAcquire()) {
      try (exchange) {
        exchange.getResponseHeaders().set("Retry-After", "10");
        plain(exchange, 503, "reports are being written already; try again shortly");
      }
      return;
    }
    try {
      writers.execute(
          () -> {
            try {
              serve(exchange);
            } catch (IOException | RuntimeException e) {
              LOG.warn("Report request failed: {}", e.toString());
            } finally {
              slots.release();
            }
          });
    } catch (RuntimeException rejected) {
      slots.release();
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        plain(exchange, 405, "method not allowed; use GET");
        return;
      }
      ReportQuery query;
      try {
        query = ReportQuery.parse(exchange.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        plain(exchange, 400, e.getMessage());
        return;
      }
      ReportAccess.Decision decision;
      boolean allowed;
      try {
        decision = access.decide(exchange.getRequestHeaders().getFirst("Authorization"));
        allowed =
            !decision.authenticated()
                || query.namespace() == null
                || decision.mayRead().test(query.namespace());
      } catch (KubernetesClientException e) {
        plain(
            exchange, 503, "could not check the token with the Kubernetes API: " + e.getMessage());
        return;
      }
      if (!decision.authenticated()) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        plain(exchange, 401, decision.problem());
        return;
      }
      if (!allowed) {
        plain(
            exchange,
            403,
            decision.user() + " may not get patchpolicies in namespace " + query.namespace());
        return;
      }
      LOG.info("Report {} for {} ({})", query, decision.user(), exchange.getRemoteAddress());
      exchange.getResponseHeaders().set("Content-Type", query.format().contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (query.format() == ReportQuery.Format.csv) {
        exchange
            .getResponseHeaders()
            .set("Content-Disposition", "attachment; filename=\"patchwarden-report.csv\"");
      }
      exchange.sendResponseHeaders(200, 0); // chunked: written as it is read
      try (OutputStream body = exchange.getResponseBody()) {
        write(query, decision, body);
      } catch (IOException | RuntimeException e) {
        // Headers are out: the truncated body is all the client gets; the log says why.
        LOG.warn("Report {} aborted: {}", query, e.toString());
      }
    }
  }

  private void write(ReportQuery query, ReportAccess.Decision decision, OutputStream body)
      throws IOException {
    if (query.format() == ReportQuery.Format.json) {
      source.write(query, decision.mayRead(), new JsonReportWriter(body));
      return;
    }
    Writer writer =
        new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), 64 * 1024);
    ReportWriter out =
        query.format() == ReportQuery.Format.csv
            ? new CsvReportWriter(writer)
            : new HtmlReportWriter(writer);
    source.write(query, decision.mayRead(), out);
    writer.flush();
  }

  private static void plain(HttpExchange exchange, int code, String message) throws IOException {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", TEXT);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
