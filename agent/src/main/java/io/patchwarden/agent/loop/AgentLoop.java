package io.patchwarden.agent.loop;

import io.patchwarden.agent.backend.Backend;
import io.patchwarden.agent.gateway.GatewayClient;
import io.patchwarden.agent.gateway.GatewayException;
import io.patchwarden.agent.gateway.GatewayRejectedException;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The agent's life: scan, check in, install what is assigned while it may, report, wait. Every
 * dependency is injected (clock, sleeper, random source, backend, gateway, state) so the rules are
 * tested without waiting, networks or package managers:
 *
 * <ul>
 *   <li>an assignment is installed only before its {@code installUntil}, never after;
 *   <li>a run is installed at most once: its result is stored before it is sent and re-sent until
 *       the gateway acknowledges it, across restarts;
 *   <li>failures wait with exponential backoff (capped at 5 minutes), or as long as the gateway's
 *       {@code Retry-After} says.
 * </ul>
 */
public final class AgentLoop {

  private static final System.Logger LOG = System.getLogger(AgentLoop.class.getName());

  /** Used when the gateway names no sensible interval. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  private static final Duration MAX_INTERVAL = Duration.ofHours(24);

  /** The outcome of one cycle and how long to wait before the next. */
  public record Cycle(Outcome outcome, Duration delay) {}

  /** What one cycle achieved. */
  public enum Outcome {
    /** Checked in; nothing (new) to install. */
    CHECKED_IN,
    /** Installed an assignment and reported its result. */
    INSTALLED,
    /** Something failed; the delay is a backoff. */
    FAILED
  }

  private final Backend backend;
  private final GatewayClient gateway;
  private final String credential;
  private final RunStateStore stateStore;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Backoff backoff;
  private RunState state;

  public AgentLoop(
      Backend backend,
      GatewayClient gateway,
      String credential,
      RunStateStore stateStore,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier random) {
    this.backend = backend;
    this.gateway = gateway;
    this.credential = credential;
    this.stateStore = stateStore;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.backoff = new Backoff(random);
    this.state = stateStore.load();
  }

  /** Cycles until the thread is interrupted. */
  public void run() throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      sleeper.sleep(cycle().delay());
    }
    throw new InterruptedException();
  }

  /** One scan, check-in and, if due, installation and report. */
  public Cycle cycle() throws InterruptedException {
    try {
      if (state.unsentReport() != null) {
        send(state.unsentReport()); // before anything new: the gateway must learn what happened
      }
      AgentInventory inventory;
      try {
        inventory = backend.scan();
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "scan failed: " + e.getMessage(), e);
        return new Cycle(Outcome.FAILED, backoff.failure(Optional.empty()));
      }
      CheckinResponse response =
          GatewayClient.await(gateway.checkin(credential, new CheckinRequest(inventory)));
      backoff.reset();
      Outcome outcome = Outcome.CHECKED_IN;
      Assignment assignment = response.assignment();
      if (assignment != null && due(assignment)) {
        install(assignment);
        outcome = Outcome.INSTALLED;
      }
      return new Cycle(outcome, jittered(interval(response)));
    } catch (GatewayException e) {
      logGatewayFailure(e);
      return new Cycle(Outcome.FAILED, backoff.failure(e.retryAfter()));
    }
  }

  /** Whether the assignment is new and may still be started. */
  private boolean due(Assignment a) {
    if (a.getRun() == null || a.getRun().isBlank() || state.handled(a.getRun())) {
      return false;
    }
    if (a.getUpdates() == null || a.getUpdates().isEmpty()) {
      return false;
    }
    Optional<Instant> until = instant(a.getInstallUntil());
    if (until.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "not installing run "
              + a.getRun()
              + ": installUntil '"
              + a.getInstallUntil()
              + "'"
              + " is no RFC 3339 time");
      return false;
    }
    if (!clock.instant().isBefore(until.get())) {
      LOG.log(
          Level.INFO,
          "not installing run " + a.getRun() + ": its time ended at " + a.getInstallUntil());
      return false;
    }
    return true;
  }

  private void install(Assignment a) throws InterruptedException {
    LOG.log(Level.INFO, "installing " + a.getUpdates().size() + " updates of run " + a.getRun());
    List<UpdateOutcome> outcomes;
    try {
      outcomes = backend.install(List.copyOf(a.getUpdates()));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "installing run " + a.getRun() + " failed: " + e.getMessage(), e);
      outcomes = failedAll(a.getUpdates(), e);
    }
    ResultReport report =
        new ResultReport(
            a.getRun(),
            outcomes,
            backend.rebootRequired(),
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    // Kept before it is sent: a crash or outage now must not lead to a second installation.
    update(new RunState(state.lastReportedRun(), report));
    send(report);
  }

  private void send(ResultReport report) throws InterruptedException {
    GatewayClient.await(gateway.report(credential, report));
    update(new RunState(report.run(), null));
    LOG.log(Level.INFO, "reported the result of run " + report.run());
  }

  private void update(RunState next) {
    state = next;
    try {
      stateStore.save(next);
    } catch (IOException e) {
      // Still correct while this process lives; only a restart could repeat an installation.
      LOG.log(Level.WARNING, "cannot keep the agent state: " + e.getMessage(), e);
    }
  }

  private static List<UpdateOutcome> failedAll(List<AssignedUpdate> updates, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    String cut = message.length() <= 1024 ? message : message.substring(0, 1024);
    return updates.stream()
        .map(u -> new UpdateOutcome(u.getId(), UpdateResult.Failed, cut))
        .toList();
  }

  private static Duration interval(CheckinResponse response) {
    if (response.nextCheckinSeconds() <= 0) {
      return DEFAULT_INTERVAL;
    }
    Duration d = Duration.ofSeconds(response.nextCheckinSeconds());
    return d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }

  /** ±10%, so that agents started together (a fleet rollout, a power cut) spread out. */
  private Duration jittered(Duration interval) {
    double factor = 0.9 + 0.2 * random.getAsDouble();
    return Duration.ofMillis((long) (interval.toMillis() * factor));
  }

  private static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static void logGatewayFailure(GatewayException e) {
    if (e instanceof GatewayRejectedException r && r.unauthorized()) {
      LOG.log(
          Level.ERROR,
          "the gateway rejects this endpoint's credential; enroll the machine again ("
              + e.getMessage()
              + ")");
    } else {
      LOG.log(Level.WARNING, e.getMessage());
    }
  }
}
