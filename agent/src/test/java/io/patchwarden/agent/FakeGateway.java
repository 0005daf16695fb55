package io.patchwarden.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.endpoint.Assignment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent gateway's protocol, faked with the JDK's HTTP server: enrollment by token, bearer
 * credentials, assignments set by the test, idempotent results, and injectable failures.
 */
public final class FakeGateway implements AutoCloseable {

  /**
   * An answer to give instead of the real one.
   *
   * @param status HTTP status
   * @param headers extra headers
   * @param body response body
   */
  public record Canned(int status, Map<String, String> headers, String body) {}

  public static final String TOKEN = "enroll-token-123";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final int intervalSeconds;
  public final Map<String, EnrollRequest> enrollments = new ConcurrentHashMap<>();
  public final Map<String, AtomicInteger> checkins = new ConcurrentHashMap<>();
  public final Map<String, CheckinRequest> lastCheckin = new ConcurrentHashMap<>();
  public final Map<String, Assignment> assignments = new ConcurrentHashMap<>();
  public final Map<String, ResultReport> results = new ConcurrentHashMap<>();
  public final AtomicInteger resultPosts = new AtomicInteger();
  public final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  public final Queue<String> paths = new ConcurrentLinkedQueue<>();
  private final Map<String, Queue<Canned>> canned = new ConcurrentHashMap<>();

  public FakeGateway(int intervalSeconds) throws IOException {
    this.intervalSeconds = intervalSeconds;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next call to {@code path} (e.g. /agent/v1/checkin) gets this answer instead. */
  public void failNext(String path, Canned answer) {
    canned.computeIfAbsent(path, k -> new ConcurrentLinkedQueue<>()).add(answer);
  }

  public static String credentialOf(String machineId) {
    return "cred-" + machineId;
  }

  public int totalCheckins() {
    return checkins.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      paths.add(path);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizations.add(auth);
      }
      Queue<Canned> queue = canned.get(path);
      Canned c = queue == null ? null : queue.poll();
      if (c != null) {
        c.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, c.status(), c.body());
        return;
      }
      if (path.endsWith("/agent/v1/enroll")) {
        EnrollRequest r = Json.MAPPER.readValue(body, EnrollRequest.class);
        if (!TOKEN.equals(r.token())) {
          error(exchange, 401, "unauthorized");
          return;
        }
        enrollments.put(r.machineId(), r);
        String id = r.machineId().replaceAll("[^a-z0-9]", "");
        String name = "ep-" + id.substring(0, Math.min(12, id.length()));
        json(
            exchange,
            new EnrollResponse("acme", name, credentialOf(r.machineId()), intervalSeconds));
      } else if (path.endsWith("/agent/v1/checkin")) {
        String machine = machineOf(auth);
        if (machine == null) {
          error(exchange, 401, "unauthorized");
          return;
        }
        lastCheckin.put(machine, Json.MAPPER.readValue(body, CheckinRequest.class));
        checkins.computeIfAbsent(machine, k -> new AtomicInteger()).incrementAndGet();
        json(exchange, new CheckinResponse(assignments.get(machine), intervalSeconds));
      } else if (path.endsWith("/agent/v1/result")) {
        String machine = machineOf(auth);
        if (machine == null) {
          error(exchange, 401, "unauthorized");
          return;
        }
        resultPosts.incrementAndGet();
        ResultReport r = Json.MAPPER.readValue(body, ResultReport.class);
        boolean duplicate = results.putIfAbsent(machine + "/" + r.run(), r) != null;
        json(exchange, new ResultAck(r.run(), duplicate));
      } else {
        error(exchange, 404, "not_found");
      }
    }
  }

  private String machineOf(String auth) {
    if (auth == null || !auth.startsWith("Bearer cred-")) {
      return null;
    }
    String machine = auth.substring("Bearer cred-".length());
    return enrollments.containsKey(machine) ? machine : null;
  }

  private static void json(HttpExchange exchange, Object value) throws IOException {
    send(exchange, 200, Json.MAPPER.writeValueAsString(value));
  }

  private static void error(HttpExchange exchange, int status, String code) throws IOException {
    send(exchange, status, Json.MAPPER.writeValueAsString(new ErrorResponse(code, code, null)));
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
