package io.patchwarden.agent.simulator;

import io.patchwarden.agent.gateway.GatewayClient;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the virtual endpoints of one fleet share: pools, client, counters, limits. */
final class FleetContext {
  private final FleetConfig config;
  private final GatewayClient client;
  private final ScheduledExecutorService scheduler;
  private final FleetCounters counters;
  private final Semaphore inFlight;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  FleetContext(
      FleetConfig config,
      GatewayClient client,
      ScheduledExecutorService scheduler,
      FleetCounters counters) {
    this.config = config;
    this.client = client;
    this.scheduler = scheduler;
    this.counters = counters;
    this.inFlight = new Semaphore(config.maxInFlight());
  }

  FleetConfig config() {
    return config;
  }

  GatewayClient client() {
    return client;
  }

  FleetCounters counters() {
    return counters;
  }

  Semaphore inFlight() {
    return inFlight;
  }

  boolean running() {
    return running.get();
  }

  void stop() {
    running.set(false);
  }

  /**
   * Runs {@code start} holding a slot for one request, now or, when {@code maxInFlight} requests
   * are open, as soon as one finishes. Waiting in a queue rather than polling keeps a saturated
   * gateway from also saturating the simulator. {@code start} must {@link #release} the slot.
   */
  void withSlot(Runnable start) {
    if (inFlight.tryAcquire()) {
      start.run();
      return;
    }
    counters.deferred.increment();
    waiting.add(start);
    drain(); // a slot may have freed up since tryAcquire
  }

  void release() {
    inFlight.release();
    drain();
  }

  /** Hands free slots to queued calls, each slot to one call. */
  private void drain() {
    while (!waiting.isEmpty() && inFlight.tryAcquire()) {
      Runnable next = waiting.poll();
      if (next == null || !schedule(next, Duration.ZERO)) {
        inFlight.release(); // lost a race for the queue, or stopping
        if (next != null) {
          return;
        }
      }
    }
  }

  /** Runs the step later on the shared timer pool; after stop, steps are dropped (false). */
  boolean schedule(Runnable step, Duration delay) {
    if (!running()) {
      return false;
    }
    try {
      scheduler.schedule(() -> guarded(step), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // the fleet is stopping
    }
  }

  /** A failing step must show up in the log, not vanish inside the executor's future. */
  private static void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      System.getLogger(FleetContext.class.getName())
          .log(System.Logger.Level.ERROR, "a simulated endpoint stopped: " + e, e);
    }
  }

  /** Simulated durations, shortened or stretched by the configured factor. */
  Duration scaled(Duration simulated) {
    return Duration.ofMillis((long) (simulated.toMillis() * config.installTimeFactor()));
  }
}
