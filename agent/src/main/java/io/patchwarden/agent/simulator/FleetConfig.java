package io.patchwarden.agent.simulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a simulated fleet behaves. Build with {@link #builder(URI, String)}; every field but the
 * gateway and token has a default.
 *
 * @param gateway the gateway's base URL
 * @param token the enrollment token of the namespace the fleet enrolls into
 * @param count number of virtual endpoints
 * @param seed makes the fleet (machines, pending updates, timing draws, failures) reproducible
 * @param failureRate share of assigned updates that fail to install, 0 to 1
 * @param checkinInterval interval between check-ins; null: as the gateway says
 * @param rampUp enrollments are spread evenly at random over this time, like machines switched on
 *     over a morning rather than all in the same millisecond
 * @param installTimeFactor multiplies the simulated installation times (realistic: seconds per
 *     package, minutes per Windows update); 0 installs at once
 * @param threads size of the fixed pools for timers and for HTTP responses
 * @param maxInFlight requests open at once; beyond it a call waits briefly instead of opening yet
 *     another connection, so a stalled gateway cannot exhaust the simulator's sockets
 * @param requestTimeout how long one call may take
 * @param catalogueDate "today" for the release dates of simulated updates
 * @param labels labels every endpoint proposes at enrollment, on top of role and site
 * @param tls trust for a gateway with a private CA, or null
 * @param clock for installUntil decisions and timestamps
 */
public record FleetConfig(
    URI gateway,
    String token,
    int count,
    long seed,
    double failureRate,
    Duration checkinInterval,
    Duration rampUp,
    double installTimeFactor,
    int threads,
    int maxInFlight,
    Duration requestTimeout,
    LocalDate catalogueDate,
    Map<String, String> labels,
    SSLContext tls,
    Clock clock) {

  public FleetConfig {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(token, "token");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1");
    }
    if (checkinInterval != null && checkinInterval.toMillis() < 1) {
      throw new IllegalArgumentException("checkinInterval must be positive");
    }
    if (installTimeFactor < 0) {
      throw new IllegalArgumentException("installTimeFactor must not be negative");
    }
    if (threads < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("threads and maxInFlight must be at least 1");
    }
    Objects.requireNonNull(rampUp, "rampUp");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(clock, "clock");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    catalogueDate =
        catalogueDate == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : catalogueDate;
  }

  public static Builder builder(URI gateway, String token) {
    return new Builder(gateway, token);
  }

  /** Defaults fit a laptop load test: 100 endpoints, 5% failures, two threads per core. */
  public static final class Builder {
    private final URI gateway;
    private final String token;
    private int count = 100;
    private long seed = 1;
    private double failureRate = 0.05;
    private Duration checkinInterval;
    private Duration rampUp = Duration.ofSeconds(10);
    private double installTimeFactor = 1.0;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private int maxInFlight = 512;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private LocalDate catalogueDate;
    private Map<String, String> labels = Map.of();
    private SSLContext tls;
    private Clock clock = Clock.systemUTC();

    private Builder(URI gateway, String token) {
      this.gateway = gateway;
      this.token = token;
    }

    public Builder count(int count) {
      this.count = count;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder failureRate(double failureRate) {
      this.failureRate = failureRate;
      return this;
    }

    /** Null follows the interval the gateway names. */
    public Builder checkinInterval(Duration checkinInterval) {
      this.checkinInterval = checkinInterval;
      return this;
    }

    public Builder rampUp(Duration rampUp) {
      this.rampUp = rampUp;
      return this;
    }

    public Builder installTimeFactor(double installTimeFactor) {
      this.installTimeFactor = installTimeFactor;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder catalogueDate(LocalDate catalogueDate) {
      this.catalogueDate = catalogueDate;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder tls(SSLContext tls) {
      this.tls = tls;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public FleetConfig build() {
      return new FleetConfig(
          gateway,
          token,
          count,
          seed,
          failureRate,
          checkinInterval,
          rampUp,
          installTimeFactor,
          threads,
          maxInFlight,
          requestTimeout,
          catalogueDate,
          labels,
          tls,
          clock);
    }
  }
}
