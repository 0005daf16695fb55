package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain-HTTP/1.1 proxy on 127.0.0.1 in front of the real API server, for the chaos tests. A
 * client built by {@link #newClient()} talks HTTP/1.1 to the proxy; the proxy re-originates every
 * request over TLS with the kubeconfig's client certificate, so the API server sees the same user.
 * Every request gets its own upstream connection ({@code Connection: close}), so each one can be
 * judged on its own.
 *
 * <p>At {@link #faultRate(double)} (0 by default) a request gets one of the {@link Fault}s, drawn
 * from a seeded {@link Random}: the sequence of decisions is fixed by the seed (which request gets
 * which decision still depends on thread timing). Watches are upgraded (WebSocket) or streamed
 * connections; they can be refused at the start or reset later, never answered with a conflict.
 *
 * <p>{@link #cut()} is the kill switch used to stop an operator abruptly: every open connection is
 * reset and new ones are refused, so from the API server's side the client vanished at that instant
 * (requests already sent may still take effect, their responses are lost), as with a killed
 * process.
 *
 * <p>It counts what it injected and the requests that repeated a faulted one (same method, path and
 * query): the retries, with the gap before each, by attempt number.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
  private static final int MAX_HEAD = 64 * 1024;

  /** What the proxy can do to a request. */
  public enum Fault {
    /** 409 Conflict, only for a PUT or PATCH that carries a resourceVersion (as the API would). */
    Conflict,
    /** 500 Internal Server Error, without forwarding. */
    ServerError,
    /** 429 Too Many Requests with {@code Retry-After: 1}, without forwarding. */
    TooManyRequests,
    /** The connection is reset before the request is forwarded. */
    ResetBeforeRequest,
    /** The request is forwarded and takes effect; the connection is reset instead of answering. */
    ResetAfterRequest,
    /** The request is forwarded after a delay of 0.5 to 2 s. */
    Slow,
    /** A watch that was forwarded is reset after 1 to 5 s. */
    WatchReset
  }

  /**
   * Retries seen: requests that repeated a faulted request within a minute.
   *
   * @param total how many
   * @param maxConsecutiveFaults the most faults one request got in a row
   * @param meanGapMillisByAttempt mean time from a fault to the next attempt, for attempt 1, 2, ...
   * @param minGapAfterTooManyMillis the shortest time from a 429 to the next attempt (-1: none)
   */
  public record Retries(
      int total,
      int maxConsecutiveFaults,
      List<Long> meanGapMillisByAttempt,
      long minGapAfterTooManyMillis) {}

  private final String upstreamHost;
  private final int upstreamPort;
  private final SSLSocketFactory tls;
  private final String kubeConfigYaml;
  private final ServerSocket server;
  private final ExecutorService connections;
  private final ScheduledExecutorService timers;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Random random;
  private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, Faulted> lastFault = new ConcurrentHashMap<>();
  private final List<List<Long>> gapsByAttempt = new ArrayList<>();
  private long minGapAfterTooMany = -1;
  private int retries;
  private int maxConsecutive;
  private final List<Logged> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile double rate;
  private volatile boolean cut;
  private volatile int cutAt = -1;
  private volatile boolean cutAfterForwarding;

  private record Faulted(long atNanos, Fault fault, int consecutive) {}

  /** A request as received: when ({@link System#nanoTime()}), method and target. */
  public record Logged(long atNanos, String method, String target) {
    /** A create, update, patch or delete. */
    public boolean write() {
      return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }
  }

  private FaultProxy(String kubeConfigYaml, long seed) throws Exception {
    Config upstream = Config.fromKubeconfig(kubeConfigYaml);
    URI master = URI.create(upstream.getMasterUrl());
    this.upstreamHost = master.getHost();
    this.upstreamPort = master.getPort() < 0 ? 443 : master.getPort();
    SSLContext context =
        SSLUtils.sslContext(SSLUtils.keyManagers(upstream), SSLUtils.trustManagers(upstream));
    this.tls = context.getSocketFactory();
    this.kubeConfigYaml = kubeConfigYaml;
    this.random = new Random(seed);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicInteger());
    }
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    AtomicInteger n = new AtomicInteger();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-proxy-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fault-proxy-timer");
              t.setDaemon(true);
              return t;
            });
    connections.execute(this::accept);
  }

  /** A proxy for the API server of this kubeconfig; faults drawn from {@code seed}. */
  public static FaultProxy start(String kubeConfigYaml, long seed) {
    try {
      return new FaultProxy(kubeConfigYaml, seed);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the fault proxy", e);
    }
  }

  /** The share of requests (0 to 1) that get a fault from now on. */
  public FaultProxy faultRate(double value) {
    this.rate = value;
    return this;
  }

  /** The proxy's URL (plain HTTP on loopback). */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** A client of the proxied API server, with the test tier's timeouts. */
  public KubernetesClient newClient() {
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    config.setMasterUrl(url());
    config.setHttp2Disable(true);
    config.setRequestTimeout(30_000);
    config.setConnectionTimeout(10_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * {@link #cut()}s when the {@code n}-th non-watch request arrives: before forwarding it, or after
   * the API server answered it (the request took effect, the answer is lost). The moment of a
   * killed process, mid-operation.
   */
  public FaultProxy cutAtRequest(int n, boolean afterForwarding) {
    this.cutAfterForwarding = afterForwarding;
    this.cutAt = n;
    return this;
  }

  /** Whether {@link #cut()} happened. */
  public boolean isCut() {
    return cut;
  }

  /** Every request received so far, in order of arrival. */
  public List<Logged> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Faults injected so far, by kind. */
  public Map<Fault, Integer> injected() {
    Map<Fault, Integer> copy = new EnumMap<>(Fault.class);
    injected.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public int totalInjected() {
    return injected.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Non-watch requests received (each attempt counts). */
  public int requests() {
    return requests.get();
  }

  public synchronized Retries retries() {
    List<Long> means = new ArrayList<>();
    for (List<Long> gaps : gapsByAttempt) {
      means.add(gaps.isEmpty() ? 0 : gaps.stream().mapToLong(Long::longValue).sum() / gaps.size());
    }
    return new Retries(retries, maxConsecutive, means, minGapAfterTooMany);
  }

  /**
   * Resets every open connection and refuses new ones, for good: the client behind this proxy can
   * no longer reach the API server.
   */
  public void cut() {
    cut = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the listener", e);
    }
    open.forEach(FaultProxy::reset);
  }

  @Override
  public void close() {
    cut();
    connections.shutdownNow();
    timers.shutdownNow();
  }

  // ------------------------------------------------------------------ connections

  private void accept() {
    while (!cut) {
      try {
        Socket socket = server.accept();
        if (cut) {
          reset(socket);
          return;
        }
        open.add(socket);
        connections.execute(() -> handle(socket));
      } catch (IOException e) {
        if (!cut) {
          LOG.warn("fault proxy accept failed", e);
        }
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    Socket upstream = null;
    try {
      client.setTcpNoDelay(true);
      InputStream in = new java.io.BufferedInputStream(client.getInputStream());
      Request request = Request.read(in);
      if (request == null) {
        return;
      }
      if (cut) {
        reset(client);
        return;
      }
      log.add(new Logged(System.nanoTime(), request.method, request.target));
      int number = request.streaming() ? -1 : requests.incrementAndGet();
      boolean cutHere = number > 0 && number == cutAt;
      if (cutHere && !cutAfterForwarding) {
        cut();
        return;
      }
      Fault fault = cutHere ? null : decide(request);
      track(request, fault);
      if (fault != null && fault != Fault.WatchReset) {
        injected.get(fault).incrementAndGet();
      }
      switch (fault == null ? Fault.WatchReset : fault) {
        case Conflict -> {
          answer(client, 409, "Conflict", "Conflict", null);
          return;
        }
        case ServerError -> {
          answer(client, 500, "Internal Server Error", "InternalError", null);
          return;
        }
        case TooManyRequests -> {
          answer(client, 429, "Too Many Requests", "TooManyRequests", "1");
          return;
        }
        case ResetBeforeRequest -> {
          reset(client);
          return;
        }
        case Slow -> {
          // The injected latency itself, not a wait for something to happen.
          Thread.sleep(500 + nextInt(1500));
        }
        default -> {}
      }
      upstream = tls.createSocket(upstreamHost, upstreamPort);
      open.add(upstream);
      upstream.setTcpNoDelay(true);
      OutputStream up = upstream.getOutputStream();
      up.write(request.forwardedHead(upstreamHost + ":" + upstreamPort));
      up.write(request.body);
      up.flush();
      if (cutHere) {
        upstream.getInputStream().read();
        cut();
        return;
      }
      if (fault == Fault.ResetAfterRequest) {
        // Wait until the API server answered (the request took effect), then lose the answer.
        upstream.getInputStream().read();
        reset(client);
        return;
      }
      if (request.streaming() && shouldResetWatch()) {
        injected.get(Fault.WatchReset).incrementAndGet();
        Socket c = client;
        Socket u = upstream;
        timers.schedule(
            () -> {
              reset(c);
              reset(u);
            },
            1000 + nextInt(4000),
            TimeUnit.MILLISECONDS);
      }
      Socket u = upstream;
      connections.execute(() -> pipe(in, u, client));
      pipe(upstream.getInputStream(), client, upstream);
    } catch (IOException | RuntimeException e) {
      LOG.debug("fault proxy connection ended", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private synchronized Fault decide(Request request) {
    if (rate <= 0 || random.nextDouble() >= rate) {
      return null;
    }
    List<Fault> possible = new ArrayList<>();
    possible.add(Fault.ServerError);
    possible.add(Fault.TooManyRequests);
    possible.add(Fault.ResetBeforeRequest);
    possible.add(Fault.Slow);
    if (!request.streaming()) {
      possible.add(Fault.ResetAfterRequest);
      if ((request.method.equals("PUT") || request.method.equals("PATCH"))
          && new String(request.body, StandardCharsets.UTF_8).contains("\"resourceVersion\"")) {
        possible.add(Fault.Conflict);
      }
    }
    return possible.get(random.nextInt(possible.size()));
  }

  private synchronized boolean shouldResetWatch() {
    return rate > 0 && random.nextDouble() < rate;
  }

  /** Records retries: a request with the same method, path and query as a faulted one. */
  private synchronized void track(Request request, Fault fault) {
    if (request.streaming()) {
      return;
    }
    String key = request.method + " " + request.target;
    long now = System.nanoTime();
    Faulted previous = lastFault.get(key);
    if (previous != null && now - previous.atNanos < TimeUnit.MINUTES.toNanos(1)) {
      retries++;
      long gap = TimeUnit.NANOSECONDS.toMillis(now - previous.atNanos);
      int attempt = previous.consecutive;
      while (gapsByAttempt.size() < attempt) {
        gapsByAttempt.add(new ArrayList<>());
      }
      gapsByAttempt.get(attempt - 1).add(gap);
      if (previous.fault == Fault.TooManyRequests) {
        minGapAfterTooMany = minGapAfterTooMany < 0 ? gap : Math.min(minGapAfterTooMany, gap);
      }
    }
    if (fault == null || fault == Fault.Slow) {
      lastFault.remove(key);
      return;
    }
    int consecutive = previous == null ? 1 : previous.consecutive + 1;
    maxConsecutive = Math.max(maxConsecutive, consecutive);
    lastFault.put(key, new Faulted(now, fault, consecutive));
  }

  private void pipe(InputStream from, Socket to, Socket other) {
    byte[] buffer = new byte[16 * 1024];
    try {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = from.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      LOG.trace("pipe ended", e);
    } finally {
      closeQuietly(to);
      closeQuietly(other);
    }
  }

  private void answer(Socket client, int code, String text, String reason, String retryAfter)
      throws IOException {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"injected by the test's fault proxy\",\"reason\":\""
            + reason
            + "\",\"code\":"
            + code
            + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + text
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + (retryAfter == null ? "" : "\r\nRetry-After: " + retryAfter)
            + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      LOG.trace("linger", e);
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.trace("close", e);
    }
  }

  // ------------------------------------------------------------------ HTTP/1.1 request parsing

  /** One request: its head and its whole body (de-chunked). */
  private static final class Request {
    final String method;
    final String target;
    final List<String[]> headers;
    final byte[] body;

    private Request(String method, String target, List<String[]> headers, byte[] body) {
      this.method = method;
      this.target = target;
      this.headers = headers;
      this.body = body;
    }

    static Request read(InputStream in) throws IOException {
      String head = readHead(in);
      if (head == null) {
        return null;
      }
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(
              new String[] {
                lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
              });
        }
      }
      Request partial = new Request(requestLine[0], requestLine[1], headers, new byte[0]);
      byte[] body;
      String length = partial.header("Content-Length");
      if ("chunked".equalsIgnoreCase(partial.header("Transfer-Encoding"))) {
        body = readChunked(in);
      } else if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else {
        body = new byte[0];
      }
      return new Request(partial.method, partial.target, headers, body);
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    boolean upgrade() {
      String upgrade = header("Upgrade");
      return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    /** A watch: a WebSocket upgrade or a streamed GET. */
    boolean streaming() {
      return upgrade() || target.contains("watch=true") || target.contains("watch=1");
    }

    /** The head to send upstream: Host rewritten, one request per connection, body length. */
    byte[] forwardedHead(String host) {
      StringBuilder b = new StringBuilder();
      b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      b.append("Host: ").append(host).append("\r\n");
      boolean upgrade = upgrade();
      for (String[] h : headers) {
        String name = h[0].toLowerCase(Locale.ROOT);
        switch (name) {
          case "host", "content-length", "transfer-encoding", "keep-alive", "http2-settings" -> {}
          case "connection", "upgrade" -> {
            if (upgrade) {
              b.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
          }
          default -> b.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
      }
      if (!upgrade) {
        b.append("Connection: close\r\n");
      }
      if (body.length > 0 || !method.equals("GET")) {
        b.append("Content-Length: ").append(body.length).append("\r\n");
      }
      b.append("\r\n");
      return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      int c;
      while ((c = in.read()) >= 0) {
        head.write(c);
        boolean expected = c == (matched % 2 == 0 ? '\r' : '\n');
        matched = expected ? matched + 1 : (c == '\r' ? 1 : 0);
        if (matched == 4) {
          String s = head.toString(StandardCharsets.ISO_8859_1);
          return s.substring(0, s.length() - 4);
        }
        if (head.size() > MAX_HEAD) {
          throw new IOException("request head too large");
        }
      }
      return null;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        int semicolon = sizeLine.indexOf(';');
        int size =
            Integer.parseInt(
                (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
        if (size == 0) {
          // trailers until an empty line
          while (!readLine(in).isEmpty()) {
            // skip
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    }

    private static String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String s = line.toString(StandardCharsets.ISO_8859_1);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
        line.write(c);
      }
      throw new IOException("connection closed inside a chunked body");
    }
  }
}
