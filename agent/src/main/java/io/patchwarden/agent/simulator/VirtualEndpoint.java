package io.patchwarden.agent.simulator;

import io.patchwarden.agent.AgentVersion;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.backend.simulated.SimulatedBackend;
import io.patchwarden.agent.backend.simulated.SimulatedMachine;
import io.patchwarden.agent.gateway.GatewayException;
import io.patchwarden.agent.gateway.GatewayRejectedException;
import io.patchwarden.agent.loop.Backoff;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One simulated agent as a state machine on the fleet's shared pools: every step (enroll, check in,
 * install, report) is a scheduled task or a response callback, never a waiting thread. The steps of
 * one endpoint never overlap, each handing over to the next, so its state needs no locks (the
 * executors' hand-overs order the memory accesses).
 *
 * <p>It follows the rules of the real agent loop: installs an assignment only before its
 * installUntil, each run once, backs off exponentially and honours Retry-After.
 */
final class VirtualEndpoint {

  private static final System.Logger LOG = System.getLogger(VirtualEndpoint.class.getName());

  private final FleetContext fleet;
  private final SimulatedMachine machine;
  private final SimulatedBackend backend;
  private final SplittableRandom random;
  private final Backoff backoff;
  private String credential;
  private int gatewayIntervalSeconds;
  private String lastSeenRun;
  private String lastReportedRun;

  VirtualEndpoint(FleetContext fleet, SimulatedMachine machine, SplittableRandom random) {
    this.fleet = fleet;
    this.machine = machine;
    this.random = random.split();
    this.backend =
        new SimulatedBackend(
            machine, fleet.config().failureRate(), random.split(), fleet.config().clock());
    this.backoff = new Backoff(this.random::nextDouble);
  }

  SimulatedMachine machine() {
    return machine;
  }

  void start() {
    long rampUp = fleet.config().rampUp().toMillis();
    fleet.schedule(this::enroll, Duration.ofMillis(rampUp <= 0 ? 0 : random.nextLong(rampUp)));
  }

  private void enroll() {
    HostFacts f = machine.facts();
    Map<String, String> labels = new HashMap<>(machine.labels());
    labels.putAll(fleet.config().labels());
    EnrollRequest request =
        new EnrollRequest(
            fleet.config().token(),
            machine.machineId(),
            f.hostname(),
            f.osFamily(),
            f.osName(),
            f.osVersion(),
            f.architecture(),
            f.timeZone(),
            AgentVersion.get(),
            labels);
    call(
        this::enroll,
        () -> fleet.client().enroll(request),
        fleet.counters().enrollLatency,
        this::enrolled,
        failure -> {
          fleet.counters().enrollFailures.increment();
          fleet.schedule(this::enroll, backoff.failure(failure.retryAfter()));
        });
  }

  private void enrolled(EnrollResponse response) {
    credential = response.credential();
    gatewayIntervalSeconds = response.checkinIntervalSeconds();
    backoff.reset();
    fleet.counters().enrolled.increment();
    fleet.schedule(this::checkin, Duration.ZERO); // a fresh agent checks in at once
  }

  private void checkin() {
    CheckinRequest request = new CheckinRequest(backend.scan());
    call(
        this::checkin,
        () -> fleet.client().checkin(credential, request),
        fleet.counters().checkinLatency,
        this::checkedIn,
        failure -> {
          fleet.counters().checkinsFailed.increment();
          if (failure instanceof GatewayRejectedException r && r.unauthorized()) {
            // The gateway forgot this endpoint (state reset): a simulator holds the token.
            credential = null;
            fleet.counters().enrolled.decrement();
            fleet.schedule(this::enroll, backoff.failure(failure.retryAfter()));
          } else {
            fleet.schedule(this::checkin, backoff.failure(failure.retryAfter()));
          }
        });
  }

  private void checkedIn(CheckinResponse response) {
    fleet.counters().checkinsOk.increment();
    backoff.reset();
    if (response.nextCheckinSeconds() > 0) {
      gatewayIntervalSeconds = response.nextCheckinSeconds();
    }
    Assignment a = response.assignment();
    if (a != null && a.getRun() != null && !a.getRun().equals(lastReportedRun)) {
      boolean firstSight = !a.getRun().equals(lastSeenRun);
      lastSeenRun = a.getRun();
      if (firstSight) {
        fleet.counters().assignmentsReceived.increment();
      }
      if (mayStart(a)) {
        Duration takes = fleet.scaled(backend.installDuration(a.getUpdates()));
        fleet.schedule(() -> installed(a), takes);
        return;
      }
      if (firstSight) {
        fleet.counters().assignmentsExpired.increment();
      }
    }
    scheduleNextCheckin();
  }

  /** Never after installUntil; an unreadable time counts as passed. */
  private boolean mayStart(Assignment a) {
    if (a.getUpdates() == null || a.getUpdates().isEmpty() || a.getInstallUntil() == null) {
      return false;
    }
    try {
      Instant until = OffsetDateTime.parse(a.getInstallUntil()).toInstant();
      return fleet.config().clock().instant().isBefore(until);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** The pretended installation time is over: apply it to the machine and report. */
  private void installed(Assignment a) {
    List<UpdateOutcome> outcomes = backend.install(a.getUpdates());
    fleet.counters().installs.increment();
    for (UpdateOutcome o : outcomes) {
      if (o.getResult() == UpdateResult.Failed) {
        fleet.counters().updatesFailed.increment();
      } else {
        fleet.counters().updatesInstalled.increment();
      }
    }
    ResultReport report =
        new ResultReport(
            a.getRun(),
            outcomes,
            backend.rebootRequired(),
            fleet.config().clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
    report(report, a.getReboot() == null ? RebootPolicy.IfRequired : a.getReboot());
  }

  private void report(ResultReport report, RebootPolicy reboot) {
    call(
        () -> report(report, reboot),
        () -> fleet.client().report(credential, report),
        fleet.counters().resultLatency,
        ack -> reported(ack, report, reboot),
        failure -> {
          fleet.counters().resultFailures.increment();
          fleet.schedule(() -> report(report, reboot), backoff.failure(failure.retryAfter()));
        });
  }

  private void reported(ResultAck ack, ResultReport report, RebootPolicy reboot) {
    fleet.counters().resultsReported.increment();
    if (ack.duplicate()) {
      fleet.counters().resultsDuplicate.increment();
    }
    backoff.reset();
    lastReportedRun = report.run();
    boolean reboots =
        reboot == RebootPolicy.Always
            || reboot == RebootPolicy.IfRequired && Boolean.TRUE.equals(report.rebootPending());
    if (reboots) {
      // Offline for a minute or two, then back with the reboot done.
      Duration down = fleet.scaled(Duration.ofSeconds(45 + random.nextInt(90)));
      fleet.schedule(
          () -> {
            backend.rebooted();
            checkin();
          },
          down);
    } else {
      scheduleNextCheckin();
    }
  }

  private void scheduleNextCheckin() {
    Duration configured = fleet.config().checkinInterval();
    Duration interval =
        configured != null
            ? configured
            : Duration.ofSeconds(gatewayIntervalSeconds > 0 ? gatewayIntervalSeconds : 60);
    double jitter = 0.9 + 0.2 * random.nextDouble();
    fleet.schedule(this::checkin, Duration.ofMillis((long) (interval.toMillis() * jitter)));
  }

  /**
   * Sends one call, bounded by the fleet's in-flight limit, and hands its answer on. The latency is
   * measured from sending to the parsed answer, as an agent would experience it.
   */
  private <T> void call(
      Runnable retry,
      Supplier<CompletableFuture<T>> send,
      LatencyHistogram latency,
      Consumer<T> onSuccess,
      Consumer<GatewayException> onFailure) {
    if (fleet.running()) {
      fleet.withSlot(() -> send(retry, send, latency, onSuccess, onFailure));
    }
  }

  private <T> void send(
      Runnable retry,
      Supplier<CompletableFuture<T>> send,
      LatencyHistogram latency,
      Consumer<T> onSuccess,
      Consumer<GatewayException> onFailure) {
    long start = System.nanoTime();
    CompletableFuture<T> future;
    try {
      future = send.get();
    } catch (RuntimeException e) {
      fleet.release();
      fail(onFailure, e);
      return;
    }
    future.whenComplete(
        (value, failure) -> {
          fleet.release();
          if (!fleet.running()) {
            return;
          }
          try {
            if (failure == null) {
              latency.record(System.nanoTime() - start);
              onSuccess.accept(value);
            } else {
              fail(onFailure, failure);
            }
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "endpoint " + machine.index() + " failed", e);
            fleet.schedule(retry, backoff.failure(Optional.empty()));
          }
        });
  }

  private void fail(Consumer<GatewayException> onFailure, Throwable failure) {
    GatewayException g = FleetCounters.asGatewayException(failure);
    fleet.counters().error(g);
    onFailure.accept(g);
  }
}
