package io.patchwarden.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.patchwarden.agent.Json;
import io.patchwarden.agent.gateway.TlsTrust;
import io.patchwarden.agent.simulator.Fleet;
import io.patchwarden.agent.simulator.FleetConfig;
import io.patchwarden.agent.simulator.FleetStats;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a fleet of endpoints in this process and prints what it measured.",
      "Example: patchwarden-agent simulate --count 10000 --gateway http://localhost:8443"
          + " --token \"$TOKEN\" --seed 7 --duration 10m"
    })
final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--count", required = true, description = "Number of virtual endpoints.")
  int count;

  @Option(names = "--gateway", required = true, description = "The gateway's base URL.")
  URI gateway;

  @Option(
      names = "--token",
      defaultValue = "${env:PATCHWARDEN_TOKEN}",
      description = "Enrollment token (default: $PATCHWARDEN_TOKEN).")
  String token;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Same seed, same fleet (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--failure-rate",
      defaultValue = "0.05",
      description = "Share of updates that fail to install (default: ${DEFAULT-VALUE}).")
  double failureRate;

  @Option(
      names = "--checkin-interval",
      description = "Check-in interval, e.g. 60s (default: the interval the gateway names).")
  Duration checkinInterval;

  @Option(
      names = "--duration",
      description = "Stop after this long, e.g. 10m (default: until interrupted).")
  Duration duration;

  @Option(
      names = "--ramp-up",
      defaultValue = "10s",
      description = "Spread enrollments over this time (default: ${DEFAULT-VALUE}).")
  Duration rampUp;

  @Option(
      names = "--install-time-factor",
      defaultValue = "1.0",
      description = "Scales simulated installation times; 0 = instant (default: ${DEFAULT-VALUE}).")
  double installTimeFactor;

  @Option(names = "--threads", description = "Threads per pool (default: 2 per core).")
  Integer threads;

  @Option(
      names = "--labels",
      split = ",",
      paramLabel = "KEY=VALUE",
      description = "Labels every endpoint proposes, on top of role and site.")
  Map<String, String> labels;

  @Option(names = "--ca-cert", description = "PEM file of the gateway's CA, if not public.")
  Path caCert;

  @Option(
      names = "--progress",
      defaultValue = "10s",
      description =
          "Print a progress line this often to stderr; 0 = never (default: ${DEFAULT-VALUE}).")
  Duration progress;

  @Option(names = "--json", description = "Print the final statistics as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing enrollment token: pass --token or set PATCHWARDEN_TOKEN");
    }
    FleetConfig.Builder builder =
        FleetConfig.builder(gateway, token)
            .count(count)
            .seed(seed)
            .failureRate(failureRate)
            .checkinInterval(checkinInterval)
            .rampUp(rampUp)
            .installTimeFactor(installTimeFactor)
            .labels(labels);
    if (threads != null) {
      builder.threads(threads);
    }
    if (caCert != null) {
      builder.tls(TlsTrust.fromPem(caCert));
    }
    Fleet fleet = new Fleet(builder.build());
    AtomicBoolean printed = new AtomicBoolean();
    Runnable finish =
        () -> {
          fleet.stop();
          if (printed.compareAndSet(false, true)) {
            print(fleet.stats());
          }
        };
    Thread hook = new Thread(finish, "simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C still prints the summary
    fleet.start();
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    long step = progress.isZero() ? Long.MAX_VALUE : progress.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        long wait = Math.min(step, deadline - System.nanoTime());
        Thread.sleep(Math.max(1, wait / 1_000_000));
        if (!progress.isZero() && System.nanoTime() < deadline) {
          progressLine(fleet.stats());
        }
      }
    } finally {
      finish.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    return 0;
  }

  private void print(FleetStats stats) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.print(json ? Json.PRETTY.writeValueAsString(stats) + "\n" : stats.summary());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  private void progressLine(FleetStats s) {
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        Locale.ROOT,
        "%6.0fs enrolled %d/%d, check-ins %d ok %d failed, p99 %.1f ms, installs %d%n",
        s.elapsed().toMillis() / 1000.0,
        s.enrolled(),
        s.endpoints(),
        s.checkinsOk(),
        s.checkinsFailed(),
        s.checkinLatency().p99Millis(),
        s.installs());
    err.flush();
  }
}
