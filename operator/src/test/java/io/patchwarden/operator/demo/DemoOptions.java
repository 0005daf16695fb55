package io.patchwarden.operator.demo;

import io.patchwarden.operator.support.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's command line. Every option has a default that shows the whole product in a few
 * minutes; tests shrink the fleet and the waits.
 *
 * @param kubeconfig a cluster to use instead of the embedded one (null: {@code KUBECONFIG}, then
 *     embedded)
 * @param embedded start the embedded API server even when a kubeconfig is set
 * @param duration the longest the demo runs before it stops unconverged (exit code 2)
 * @param agents simulated endpoints enrolled through the gateway
 * @param nodes simulated Kubernetes nodes (embedded cluster only, unless {@code simulateNodes})
 * @param simulateNodes create simulated Nodes on a cluster that is not the embedded one
 * @param failureRate share of installs that fail
 * @param staleAgents endpoints that enrol, report once and then go silent
 * @param secondWindowIn when the servers' maintenance window opens
 * @param approveAfter when the demo approves the waiting server run itself (null: never)
 * @param soak how long each laptop wave soaks before the next starts
 * @param plain plain lines even on a terminal
 * @param workDir where the kubeconfig and the report are written
 */
public record DemoOptions(
    Path kubeconfig,
    boolean embedded,
    Duration duration,
    int agents,
    int nodes,
    boolean simulateNodes,
    double failureRate,
    int staleAgents,
    Duration secondWindowIn,
    Duration approveAfter,
    Duration soak,
    boolean plain,
    Path workDir) {

  public static final String USAGE =
      """
      usage: make demo [DEMO_ARGS="options"]
        --kubeconfig FILE     use this cluster (default: $KUBECONFIG if reachable, else embedded)
        --embedded            always start the embedded API server
        --duration 10m        stop after this long even if not converged (exit code 2)
        --agents 300          simulated endpoints enrolled through the gateway over HTTP
        --stale-agents 12     of those, endpoints that report once and then go silent
        --nodes 8             simulated nodes with PodDisruptionBudget-protected workloads
        --simulate-nodes      also create simulated Nodes in a cluster given by --kubeconfig
        --failure-rate 0.03   share of installs that fail
        --second-window-in 2m when the servers' maintenance window opens
        --approve-after 90s   approve the waiting server run yourself within this, or the demo
                              does it ("never" waits for you)
        --soak 20s            how long each laptop wave soaks before the next one starts
        --plain               plain lines instead of redrawing the terminal
        --work-dir target/demo  where the kubeconfig and report.html go
        --help                this text
      """;

  public DemoOptions {
    if (agents < 1 || staleAgents < 0 || staleAgents >= agents) {
      throw new IllegalArgumentException(
          "--agents must be at least 1 and --stale-agents between 0 and agents-1");
    }
    if (nodes < 0) {
      throw new IllegalArgumentException("--nodes must not be negative");
    }
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("--failure-rate must be between 0 and 1");
    }
    if (soak.isNegative()) {
      throw new IllegalArgumentException("--soak must not be negative");
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
  }

  public static DemoOptions defaults() {
    return new DemoOptions(
        null,
        false,
        Duration.ofMinutes(10),
        300,
        8,
        false,
        0.03,
        12,
        Duration.ofMinutes(2),
        Duration.ofSeconds(90),
        Duration.ofSeconds(20),
        false,
        Path.of("target", "demo"));
  }

  /**
   * Parses the command line; {@code env} supplies {@code KUBECONFIG}. Throws
   * IllegalArgumentException naming the option on bad input.
   */
  public static DemoOptions parse(List<String> args, Map<String, String> env) {
    DemoOptions d = defaults();
    Path kubeconfig = env.get("KUBECONFIG") == null ? null : firstPath(env.get("KUBECONFIG"));
    boolean embedded = d.embedded;
    Duration duration = d.duration;
    int agents = d.agents;
    int nodes = d.nodes;
    boolean simulateNodes = d.simulateNodes;
    double failureRate = d.failureRate;
    int stale = d.staleAgents;
    Duration secondWindowIn = d.secondWindowIn;
    Duration approveAfter = d.approveAfter;
    Duration soak = d.soak;
    boolean plain = d.plain;
    Path workDir = d.workDir;
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      switch (option) {
        case "--kubeconfig" -> kubeconfig = Path.of(value(option, rest));
        case "--embedded" -> embedded = true;
        case "--duration" -> duration = duration(option, value(option, rest));
        case "--agents" -> agents = integer(option, value(option, rest));
        case "--stale-agents" -> stale = integer(option, value(option, rest));
        case "--nodes" -> nodes = integer(option, value(option, rest));
        case "--simulate-nodes" -> simulateNodes = true;
        case "--failure-rate" -> failureRate = decimal(option, value(option, rest));
        case "--second-window-in" -> secondWindowIn = duration(option, value(option, rest));
        case "--approve-after" -> {
          String v = value(option, rest);
          approveAfter = v.toLowerCase(Locale.ROOT).equals("never") ? null : duration(option, v);
        }
        case "--soak" -> soak = duration(option, value(option, rest));
        case "--plain" -> plain = true;
        case "--work-dir" -> workDir = Path.of(value(option, rest));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new DemoOptions(
        kubeconfig,
        embedded,
        duration,
        agents,
        nodes,
        simulateNodes,
        failureRate,
        stale,
        secondWindowIn,
        approveAfter,
        soak,
        plain,
        workDir);
  }

  private static Path firstPath(String kubeconfigEnv) {
    String first = kubeconfigEnv.split(":")[0];
    return first.isBlank() ? null : Path.of(first);
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.remove(0);
  }

  private static Duration duration(String option, String value) {
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          option + ": '" + value + "' is not a duration such as 90s, 2m or 1h30m");
    }
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
    }
  }

  private static double decimal(String option, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a number");
    }
  }
}
