package io.patchwarden.agent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.patchwarden.agent.FakeGateway;
import io.patchwarden.agent.FakeGateway.Canned;
import io.patchwarden.agent.Json;
import io.patchwarden.agent.backend.simulated.SimulatedMachine;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-20T21:00:00Z"), ZoneOffset.UTC);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private FakeGateway gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeGateway(1);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private FleetConfig.Builder config(int count, long seed) {
    return FleetConfig.builder(gateway.uri(), FakeGateway.TOKEN)
        .count(count)
        .seed(seed)
        .rampUp(Duration.ofMillis(500))
        .installTimeFactor(0)
        .threads(2)
        .catalogueDate(LocalDate.of(2025, 3, 20))
        .clock(CLOCK);
  }

  @Test
  void twoHundredEndpointsEnrollAndCheckInWithAFewThreads() {
    try (Fleet fleet = new Fleet(config(200, 1).build())) {
      fleet.start();

      await()
          .atMost(PATIENCE)
          .until(() -> gateway.checkins.size() == 200 && gateway.totalCheckins() >= 400);
      FleetStats stats = fleet.stats();

      assertThat(stats.enrolled()).isEqualTo(200);
      assertThat(gateway.enrollments).hasSize(200);
      assertThat(stats.checkinsOk()).isGreaterThanOrEqualTo(400);
      assertThat(stats.checkinLatency().count()).isEqualTo(stats.checkinsOk());
      assertThat(stats.checkinLatency().p99Millis()).isPositive();
      assertThat(stats.enrollFailures()).isZero();
      // No thread per endpoint: two pools of two, whatever the fleet size.
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().startsWith("fleet-"))
          .hasSizeLessThanOrEqualTo(4);
      assertThat(stats.summary()).contains("200 endpoints", "check-ins", "p99");
    }
  }

  @Test
  void installsAssignmentsOnceAndReportsThem() {
    Fleet fleet = new Fleet(config(40, 2).failureRate(0.0).build());
    List<SimulatedMachine> withUpdates =
        fleet.machines().stream().filter(m -> !m.pending().isEmpty()).limit(10).toList();
    for (SimulatedMachine m : withUpdates) {
      gateway.assignments.put(
          m.machineId(), assignment("run-" + m.index(), m, "2025-03-21T02:00:00Z"));
    }
    SimulatedMachine late =
        fleet.machines().stream()
            .filter(m -> !m.pending().isEmpty())
            .skip(10)
            .findFirst()
            .orElseThrow();
    gateway.assignments.put(late.machineId(), assignment("run-late", late, "2025-03-20T20:00:00Z"));

    try (fleet) {
      fleet.start();
      await().atMost(PATIENCE).until(() -> fleet.stats().resultsReported() == 10);
      // Check-ins go on with the same assignments in place; nothing is installed twice.
      int seen = gateway.totalCheckins();
      await().atMost(PATIENCE).until(() -> gateway.totalCheckins() >= seen + 80);

      FleetStats stats = fleet.stats();
      assertThat(stats.installs()).isEqualTo(10);
      assertThat(gateway.resultPosts.get()).isEqualTo(10);
      assertThat(stats.assignmentsExpired()).isEqualTo(1);
      assertThat(stats.updatesFailed()).isZero();
      for (SimulatedMachine m : withUpdates) {
        ResultReport report = gateway.results.get(m.machineId() + "/run-" + m.index());
        assertThat(report.updates())
            .extracting(UpdateOutcome::getId)
            .containsExactlyElementsOf(m.pending().stream().map(PendingUpdate::getId).toList());
        assertThat(report.updates())
            .extracting(UpdateOutcome::getResult)
            .doesNotContain(UpdateResult.Failed);
        // The next inventory no longer lists what was installed.
        assertThat(gateway.lastCheckin.get(m.machineId()).inventory().pendingUpdates()).isEmpty();
      }
      assertThat(gateway.results).doesNotContainKey(late.machineId() + "/run-late");
    }
  }

  @Test
  void failuresHappenAtTheConfiguredRate() {
    Fleet fleet = new Fleet(config(100, 3).failureRate(0.5).build());
    List<SimulatedMachine> withUpdates =
        fleet.machines().stream().filter(m -> !m.pending().isEmpty()).toList();
    withUpdates.forEach(
        m -> gateway.assignments.put(m.machineId(), assignment("r1", m, "2025-03-21T02:00:00Z")));

    try (fleet) {
      fleet.start();
      await().atMost(PATIENCE).until(() -> fleet.stats().resultsReported() == withUpdates.size());

      FleetStats stats = fleet.stats();
      double rate =
          stats.updatesFailed() / (double) (stats.updatesFailed() + stats.updatesInstalled());
      assertThat(rate).isBetween(0.35, 0.65);
    }
  }

  @Test
  void rateLimitedCallsAreRetriedAfterRetryAfter() {
    for (int i = 0; i < 30; i++) {
      gateway.failNext(
          "/agent/v1/checkin",
          new Canned(
              429, Map.of("Retry-After", "0"), "{\"error\":\"rate_limited\",\"message\":\"x\"}"));
    }
    try (Fleet fleet = new Fleet(config(50, 4).build())) {
      fleet.start();
      await().atMost(PATIENCE).until(() -> gateway.checkins.size() == 50);

      FleetStats stats = fleet.stats();
      assertThat(stats.rateLimited()).isEqualTo(30);
      assertThat(stats.checkinsFailed()).isEqualTo(30);
      assertThat(stats.errors()).containsEntry("rate_limited", 30L);
    }
  }

  @Test
  void sameSeedSameFleetOtherSeedOtherFleet() throws Exception {
    Map<String, String> first = runAndCapture(5);
    Map<String, String> second = runAndCapture(5);
    Map<String, String> other = runAndCapture(6);

    assertThat(first).hasSize(30).isEqualTo(second);
    assertThat(other.keySet()).doesNotContainAnyElementsOf(first.keySet());
  }

  /** What the fake gateway saw from a fleet: enrollment and first inventory per machine. */
  private Map<String, String> runAndCapture(long seed) throws Exception {
    gateway.close();
    gateway = new FakeGateway(3600);
    try (Fleet fleet = new Fleet(config(30, seed).build())) {
      fleet.start();
      await().atMost(PATIENCE).until(() -> gateway.checkins.size() == 30);
    }
    Map<String, String> seen = new TreeMap<>();
    for (var e : gateway.enrollments.entrySet()) {
      seen.put(
          e.getKey(),
          Json.MAPPER.writeValueAsString(e.getValue())
              + Json.MAPPER.writeValueAsString(gateway.lastCheckin.get(e.getKey())));
    }
    return seen;
  }

  private static Assignment assignment(String run, SimulatedMachine m, String installUntil) {
    Assignment a = new Assignment();
    a.setRun(run);
    a.setInstallUntil(installUntil);
    a.setUpdates(
        m.pending().stream()
            .map(u -> new AssignedUpdate(u.getId(), u.getPackageName(), u.getVersion()))
            .toList());
    return a;
  }
}
