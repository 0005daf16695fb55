package io.patchwarden.agent.simulator;

import io.patchwarden.agent.backend.simulated.Catalogue;
import io.patchwarden.agent.backend.simulated.SimulatedMachine;
import io.patchwarden.agent.gateway.HttpGatewayClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many virtual endpoints in one process, for load tests and benchmarks of the gateway and the
 * operator. Each endpoint enrolls, checks in periodically with jitter, installs its assignments
 * (taking simulated time, failing at the configured rate) and reports, like the real agent.
 *
 * <p>Threads: one fixed pool of {@code threads} runs timers and request preparation, another of the
 * same size handles HTTP responses; no endpoint owns a thread, so 10,000 endpoints cost memory, not
 * threads.
 *
 * <pre>{@code
 * try (Fleet fleet = new Fleet(FleetConfig.builder(gatewayUri, token).count(1000).seed(7).build())) {
 *   fleet.start();
 *   await().until(() -> fleet.stats().enrolled() == 1000);
 *   FleetStats stats = fleet.stats();
 * }
 * }</pre>
 */
public final class Fleet implements AutoCloseable {

  private final FleetConfig config;
  private final List<SimulatedMachine> machines;
  private final FleetCounters counters = new FleetCounters();
  private ScheduledThreadPoolExecutor scheduler;
  private ExecutorService responses;
  private FleetContext context;
  private volatile long startedNanos;
  private volatile long stoppedNanos;

  /** Creates the fleet's machines (deterministically from the seed); nothing runs yet. */
  public Fleet(FleetConfig config) {
    this.config = config;
    Catalogue catalogue = Catalogue.generate(config.seed(), config.catalogueDate());
    List<SimulatedMachine> list = new ArrayList<>(config.count());
    for (int i = 0; i < config.count(); i++) {
      list.add(SimulatedMachine.create(catalogue, config.seed(), i));
    }
    this.machines = List.copyOf(list);
  }

  public FleetConfig config() {
    return config;
  }

  /** The simulated machines, in index order: machine ids, OS, pending updates, labels. */
  public List<SimulatedMachine> machines() {
    return machines;
  }

  /** Starts enrolling (spread over the ramp-up) and everything after. Only once. */
  public synchronized void start() {
    if (context != null) {
      throw new IllegalStateException("the fleet was already started");
    }
    scheduler = new ScheduledThreadPoolExecutor(config.threads(), daemonThreads("fleet-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    responses = Executors.newFixedThreadPool(config.threads(), daemonThreads("fleet-http"));
    HttpClient http = HttpGatewayClient.httpClient(config.tls(), responses);
    HttpGatewayClient client =
        new HttpGatewayClient(config.gateway(), http, config.requestTimeout(), config.clock());
    context = new FleetContext(config, client, scheduler, counters);
    startedNanos = System.nanoTime();
    for (SimulatedMachine m : machines) {
      // Timing and failure draws per endpoint: the same whatever order the threads run in.
      SplittableRandom random =
          new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L ^ (m.index() + 0x632BE5ABL));
      new VirtualEndpoint(context, m, random).start();
    }
  }

  /**
   * Stops all endpoints: nothing new is sent; calls in flight may finish (up to the request
   * timeout). The counters stay readable. Idempotent.
   */
  public synchronized void stop() {
    if (context == null || !context.running()) {
      return;
    }
    context.stop();
    stoppedNanos = System.nanoTime();
    scheduler.shutdownNow();
    try {
      long waitMs = config.requestTimeout().toMillis() + 1000;
      if (context.inFlight().tryAcquire(config.maxInFlight(), waitMs, TimeUnit.MILLISECONDS)) {
        context.inFlight().release(config.maxInFlight());
      }
      responses.shutdown();
      responses.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    responses.shutdownNow();
  }

  public boolean running() {
    return context != null && context.running();
  }

  /** A consistent-enough snapshot of the counters; cheap, callable at any time. */
  public FleetStats stats() {
    long end = stoppedNanos != 0 ? stoppedNanos : System.nanoTime();
    Duration elapsed = startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(end - startedNanos);
    return counters.snapshot(config.count(), elapsed);
  }

  @Override
  public void close() {
    stop();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
