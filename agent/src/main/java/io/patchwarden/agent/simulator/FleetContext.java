package io.patchwarden.agent.simulator;

import io.patchwarden.agent.gateway.GatewayClient;
import java.time.Duration;
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

  /** Runs the step later on the shared timer pool; after stop, steps are dropped. */
  void schedule(Runnable step, Duration delay) {
    if (!running()) {
      return;
    }
    try {
      scheduler.schedule(() -> guarded(step), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the fleet is stopping
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
