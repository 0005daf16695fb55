package io.patchwarden.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchwarden.agent.backend.BackendException;
import io.patchwarden.agent.gateway.GatewayRejectedException;
import io.patchwarden.agent.gateway.GatewayUnavailableException;
import io.patchwarden.agent.loop.AgentLoop.Outcome;
import io.patchwarden.agent.loop.Fakes.MutableClock;
import io.patchwarden.agent.loop.Fakes.RecordingBackend;
import io.patchwarden.agent.loop.Fakes.ScriptedGateway;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.ErrorResponse;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopTest {

  private static final Instant NOW = Instant.parse("2025-03-20T21:30:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final ScriptedGateway gateway = new ScriptedGateway();
  private final RecordingBackend backend = new RecordingBackend();
  private final List<Duration> sleeps = new ArrayList<>();
  private RunStateStore store = RunStateStore.inMemory();
  private DoubleSupplier random = () -> 0.5;

  private AgentLoop loop() {
    return new AgentLoop(backend, gateway, "cred", store, clock, sleeps::add, random);
  }

  private static Assignment assignment(String run, String installUntil) {
    Assignment a = new Assignment();
    a.setRun(run);
    a.setInstallUntil(installUntil);
    a.setUpdates(
        List.of(
            new AssignedUpdate("openssl=3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1"),
            new AssignedUpdate("bash=5.2.15-2+b7", "bash", "5.2.15-2+b7")));
    return a;
  }

  private void assign(Assignment a, int times) {
    for (int i = 0; i < times; i++) {
      gateway.checkinScript.add(new CheckinResponse(a, 60));
    }
  }

  @Test
  void installsExactlyTheAssignmentBeforeItsDeadlineAndReportsIt() throws Exception {
    Assignment a = assignment("run-1", "2025-03-20T23:59:00+01:00");
    assign(a, 1);

    AgentLoop.Cycle cycle = loop().cycle();

    assertThat(cycle.outcome()).isEqualTo(Outcome.INSTALLED);
    assertThat(backend.installs).containsExactly(a.getUpdates());
    assertThat(gateway.reports)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.run()).isEqualTo("run-1");
              assertThat(r.updates())
                  .extracting(UpdateOutcome::getId)
                  .containsExactly("openssl=3.0.15-1~deb12u1", "bash=5.2.15-2+b7");
              assertThat(r.rebootPending()).isFalse();
              assertThat(r.finishedAt()).isEqualTo("2025-03-20T21:30:00Z");
            });
    assertThat(store.load()).isEqualTo(new RunState("run-1", null));
  }

  @Test
  void neverInstallsAtOrAfterInstallUntil() throws Exception {
    assign(assignment("run-late", "2025-03-20T21:29:59Z"), 1);
    assign(assignment("run-exact", "2025-03-20T22:30:00+01:00"), 1); // = now
    assign(assignment("run-garbled", "tonight"), 1);

    AgentLoop loop = loop();
    for (int i = 0; i < 3; i++) {
      assertThat(loop.cycle().outcome()).isEqualTo(Outcome.CHECKED_IN);
    }

    assertThat(backend.installs).isEmpty();
    assertThat(gateway.reports).isEmpty();
  }

  @Test
  void theDeadlineIsCheckedWhenTheAssignmentArrives() throws Exception {
    Assignment a = assignment("run-2", "2025-03-20T22:00:00Z");
    AgentLoop loop = loop();
    clock.advance(Duration.ofMinutes(31)); // the agent was asleep past the window
    assign(a, 1);

    loop.cycle();

    assertThat(backend.installs).isEmpty();
  }

  @Test
  void installsAndReportsEachRunOnce() throws Exception {
    Assignment a = assignment("run-1", "2025-03-21T02:00:00Z");
    assign(a, 3);
    AgentLoop loop = loop();

    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outcomes.add(loop.cycle().outcome());
    }

    assertThat(outcomes).containsExactly(Outcome.INSTALLED, Outcome.CHECKED_IN, Outcome.CHECKED_IN);
    assertThat(backend.installs).hasSize(1);
    assertThat(gateway.reports).hasSize(1);
  }

  @Test
  void aNewRunIsInstalledAfterAnEarlierOne() throws Exception {
    assign(assignment("run-1", "2025-03-21T02:00:00Z"), 1);
    assign(assignment("run-2", "2025-03-21T02:00:00Z"), 1);
    AgentLoop loop = loop();

    loop.cycle();
    loop.cycle();

    assertThat(gateway.reports).extracting(ResultReport::run).containsExactly("run-1", "run-2");
  }

  @Test
  void anUnsentResultIsResentNotReinstalled() throws Exception {
    Assignment a = assignment("run-1", "2025-03-21T02:00:00Z");
    assign(a, 2);
    gateway.reportScript.add(new GatewayUnavailableException(503, null, "down", null));
    AgentLoop loop = loop();

    AgentLoop.Cycle failed = loop.cycle();
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(store.load().unsentReport()).isNotNull();

    AgentLoop.Cycle next = loop.cycle();

    assertThat(next.outcome()).isEqualTo(Outcome.CHECKED_IN);
    assertThat(backend.installs).hasSize(1);
    assertThat(gateway.reports).extracting(ResultReport::run).containsExactly("run-1", "run-1");
    assertThat(store.load()).isEqualTo(new RunState("run-1", null));
  }

  @Test
  void aRestartedAgentNeitherReinstallsNorForgetsToReport(@TempDir Path dir) throws Exception {
    store = RunStateStore.file(dir.resolve("agent-state.json"));
    Assignment a = assignment("run-1", "2025-03-21T02:00:00Z");
    assign(a, 1);
    gateway.reportScript.add(new GatewayUnavailableException(0, null, "connection refused", null));
    loop().cycle(); // installed, report failed, then the process ends

    assign(a, 1);
    AgentLoop restarted = loop();
    restarted.cycle();

    assertThat(backend.installs).hasSize(1);
    assertThat(gateway.reports).hasSize(2);
    assertThat(gateway.checkins).hasSize(2);
    assertThat(RunStateStore.file(dir.resolve("agent-state.json")).load())
        .isEqualTo(new RunState("run-1", null));
  }

  @Test
  void failedInstallationIsReportedAsFailed() throws Exception {
    backend.installFailure = new BackendException("dpkg was interrupted");
    assign(assignment("run-1", "2025-03-21T02:00:00Z"), 1);

    loop().cycle();

    assertThat(gateway.reports.get(0).updates())
        .allSatisfy(
            o -> {
              assertThat(o.getResult()).isEqualTo(UpdateResult.Failed);
              assertThat(o.getMessage()).contains("dpkg was interrupted");
            });
  }

  @Test
  void waitsTheGatewaysIntervalWithTenPercentJitter() throws Exception {
    gateway.interval = 100;
    random = () -> 0.0;
    assertThat(loop().cycle().delay()).isEqualTo(Duration.ofSeconds(90));
    random = () -> 0.999999;
    assertThat(loop().cycle().delay())
        .isBetween(Duration.ofMillis(109_990), Duration.ofSeconds(110));
  }

  @Test
  void outagesBackOffExponentiallyUpToFiveMinutes() throws Exception {
    random = () -> 0.999999;
    for (int i = 0; i < 10; i++) {
      gateway.checkinScript.add(new GatewayUnavailableException(0, null, "refused", null));
    }
    AgentLoop loop = loop();

    List<Long> seconds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      AgentLoop.Cycle c = loop.cycle();
      assertThat(c.outcome()).isEqualTo(Outcome.FAILED);
      seconds.add(Math.round(c.delay().toMillis() / 1000.0));
    }

    assertThat(seconds).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L, 300L);
    assertThat(loop.cycle().outcome()).isEqualTo(Outcome.CHECKED_IN); // recovered
    gateway.checkinScript.add(new GatewayUnavailableException(502, null, "bad gateway", null));
    assertThat(loop.cycle().delay()).isLessThanOrEqualTo(Duration.ofSeconds(5)); // reset
  }

  @Test
  void backoffIsSpreadOverTheUpperHalf() throws Exception {
    random = () -> 0.0;
    gateway.checkinScript.add(new GatewayUnavailableException(0, null, "refused", null));
    gateway.checkinScript.add(new GatewayUnavailableException(0, null, "refused", null));
    AgentLoop loop = loop();

    assertThat(loop.cycle().delay()).isEqualTo(Duration.ofMillis(2500));
    assertThat(loop.cycle().delay()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rateLimitingWaitsAsLongAsRetryAfterSays() throws Exception {
    gateway.checkinScript.add(
        new GatewayRejectedException(
            429, new ErrorResponse("rate_limited", "slow down", null), Duration.ofSeconds(42)));

    AgentLoop.Cycle cycle = loop().cycle();

    assertThat(cycle.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(cycle.delay()).isBetween(Duration.ofSeconds(42), Duration.ofMillis(46_200));
  }

  @Test
  void aFailedScanIsRetriedWithoutCheckingIn() throws Exception {
    backend.scanFailure = new BackendException("apt-get -s dist-upgrade failed");

    AgentLoop.Cycle cycle = loop().cycle();

    assertThat(cycle.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(cycle.delay()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(gateway.checkins).isEmpty();
  }

  @Test
  void runSleepsBetweenCyclesUntilInterrupted() {
    AgentLoop loop =
        new AgentLoop(
            backend,
            gateway,
            "cred",
            store,
            clock,
            d -> {
              sleeps.add(d);
              if (sleeps.size() == 3) {
                throw new InterruptedException();
              }
            },
            random);

    assertThatThrownBy(loop::run).isInstanceOf(InterruptedException.class);
    assertThat(sleeps).hasSize(3).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(60)));
    assertThat(gateway.checkins).hasSize(3);
  }
}
