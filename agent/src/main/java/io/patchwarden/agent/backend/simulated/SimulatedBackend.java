package io.patchwarden.agent.backend.simulated;

import io.patchwarden.agent.AgentVersion;
import io.patchwarden.agent.backend.Backend;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.backend.PendingUpdates;
import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A machine in memory: installing takes no time here (the simulator decides how long it pretends it
 * takes), fails at a configured rate, and removes what it installed from the pending list.
 * Thread-safe, though each virtual endpoint uses its backend from one task at a time.
 */
public final class SimulatedBackend implements Backend {

  private final SimulatedMachine machine;
  private final double failureRate;
  private final SplittableRandom random;
  private final Clock clock;
  private final List<PendingUpdate> pending;
  private boolean rebootRequired;

  /**
   * @param machine the machine to play
   * @param failureRate share of updates that fail to install, 0 to 1
   * @param random draws for failures and durations; the caller decides its seed
   * @param clock for scan timestamps
   */
  public SimulatedBackend(
      SimulatedMachine machine, double failureRate, SplittableRandom random, Clock clock) {
    this.machine = machine;
    this.failureRate = failureRate;
    this.random = random;
    this.clock = clock;
    this.pending = new ArrayList<>(PendingUpdates.normalize(machine.pending()));
    this.rebootRequired = machine.rebootRequired();
  }

  /** The first machine of seed 0, as {@code scan --backend simulated} shows it. */
  public static SimulatedBackend sample(Clock clock) {
    Catalogue catalogue = Catalogue.generate(0, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    SimulatedMachine machine = SimulatedMachine.create(catalogue, 0, 0);
    return new SimulatedBackend(machine, 0.0, new SplittableRandom(0), clock);
  }

  public SimulatedMachine machine() {
    return machine;
  }

  @Override
  public synchronized AgentInventory scan() {
    HostFacts f = machine.facts();
    return new AgentInventory(
        f.hostname(),
        f.osFamily(),
        f.osName(),
        f.osVersion(),
        machine.kernelVersion(),
        f.architecture(),
        f.timeZone(),
        AgentVersion.get(),
        rebootRequired,
        machine.installedCount(),
        List.copyOf(pending),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  @Override
  public synchronized List<UpdateOutcome> install(List<AssignedUpdate> updates) {
    List<UpdateOutcome> outcomes = new ArrayList<>();
    for (AssignedUpdate u : updates) {
      PendingUpdate match =
          pending.stream()
              .filter(
                  p ->
                      p.getId().equals(u.getId()) && Objects.equals(p.getVersion(), u.getVersion()))
              .findFirst()
              .orElse(null);
      if (match == null) {
        outcomes.add(
            new UpdateOutcome(u.getId(), UpdateResult.Failed, "not pending on this machine"));
      } else if (random.nextDouble() < failureRate) {
        outcomes.add(new UpdateOutcome(u.getId(), UpdateResult.Failed, failure(match)));
      } else {
        pending.remove(match);
        if (needsReboot(match)) {
          rebootRequired = true;
          outcomes.add(new UpdateOutcome(u.getId(), UpdateResult.PendingReboot, null));
        } else {
          outcomes.add(new UpdateOutcome(u.getId(), UpdateResult.Installed, null));
        }
      }
    }
    return outcomes;
  }

  @Override
  public synchronized boolean rebootRequired() {
    return rebootRequired;
  }

  /** The machine came back from a reboot. */
  public synchronized void rebooted() {
    rebootRequired = false;
  }

  /**
   * How long installing would take on a real machine: package managers spend seconds per package, a
   * Windows cumulative update many minutes. Drawn from this backend's random source.
   */
  public synchronized Duration installDuration(List<AssignedUpdate> updates) {
    double seconds = 5 + random.nextDouble() * 10; // refreshing metadata, resolving
    for (AssignedUpdate u : updates) {
      String name = Objects.toString(u.getPackageName(), "");
      if (name.startsWith("Windows11.0-KB") || name.startsWith("Windows11-FeatureUpdate")) {
        seconds += 300 + random.nextDouble() * 900;
      } else if (machine.os().family() == OsFamily.Windows) {
        seconds += 20 + random.nextDouble() * 100;
      } else {
        // Lognormal-ish: most packages take seconds, a few (kernels, firmware) a minute.
        seconds += Math.min(120, Math.exp(1 + random.nextDouble() * 2.5));
      }
    }
    return Duration.ofMillis((long) (seconds * 1000));
  }

  private String failure(PendingUpdate u) {
    return switch (machine.os().family()) {
      case Debian ->
          "dpkg: error processing package "
              + u.getPackageName()
              + " (--configure): installed "
              + u.getPackageName()
              + " package post-installation script subprocess returned"
              + " error exit status 1";
      case RedHat ->
          "Error: Transaction test error: file conflicts between attempted installs of "
              + u.getPackageName();
      default ->
          "Installation failure: Windows failed to install the following update with error"
              + " 0x80070643: "
              + u.getPackageName();
    };
  }

  private static boolean needsReboot(PendingUpdate u) {
    String name = Objects.toString(u.getPackageName(), "");
    return name.startsWith("linux-image")
        || name.startsWith("kernel")
        || name.equals("linux-firmware")
        || name.equals("libc6")
        || name.equals("glibc")
        || name.equals("systemd")
        || name.startsWith("Windows11");
  }
}
