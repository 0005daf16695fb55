package io.patchwarden.agent.loop;

import io.patchwarden.agent.backend.Backend;
import io.patchwarden.agent.gateway.GatewayClient;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.CheckinResponse;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.EnrollResponse;
import io.patchwarden.api.agent.ResultAck;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Hand-written fakes for the loop: scripted gateway, recording backend, settable clock. */
final class Fakes {
  private Fakes() {}

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Answers from a script (responses or exceptions); when it runs out: nothing assigned. */
  static final class ScriptedGateway implements GatewayClient {
    final Deque<Object> checkinScript = new ArrayDeque<>();
    final Deque<Object> reportScript = new ArrayDeque<>();
    final List<CheckinRequest> checkins = new ArrayList<>();
    final List<ResultReport> reports = new ArrayList<>();
    int interval = 60;

    @Override
    public CompletableFuture<EnrollResponse> enroll(EnrollRequest request) {
      return CompletableFuture.completedFuture(new EnrollResponse("ns", "n", "c", interval));
    }

    @Override
    public CompletableFuture<CheckinResponse> checkin(String credential, CheckinRequest request) {
      checkins.add(request);
      return answer(checkinScript, new CheckinResponse(null, interval));
    }

    @Override
    public CompletableFuture<ResultAck> report(String credential, ResultReport report) {
      reports.add(report);
      return answer(reportScript, new ResultAck(report.run(), false));
    }

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> answer(Deque<Object> script, T fallback) {
      Object next = script.isEmpty() ? fallback : script.poll();
      if (next instanceof RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return CompletableFuture.completedFuture((T) next);
    }
  }

  /** Installs everything it is asked to, and remembers what. */
  static final class RecordingBackend implements Backend {
    final List<List<AssignedUpdate>> installs = new ArrayList<>();
    RuntimeException scanFailure;
    RuntimeException installFailure;
    boolean reboot;

    @Override
    public AgentInventory scan() {
      if (scanFailure != null) {
        throw scanFailure;
      }
      return new AgentInventory(
          "pc-1",
          OsFamily.Debian,
          "Debian GNU/Linux",
          "12",
          "6.1.0",
          "amd64",
          "UTC",
          "test",
          reboot,
          100,
          List.of(),
          "2025-03-20T10:00:00Z");
    }

    @Override
    public List<UpdateOutcome> install(List<AssignedUpdate> updates) {
      installs.add(updates);
      if (installFailure != null) {
        throw installFailure;
      }
      return updates.stream()
          .map(u -> new UpdateOutcome(u.getId(), UpdateResult.Installed, null))
          .toList();
    }

    @Override
    public boolean rebootRequired() {
      return reboot;
    }
  }
}
