package io.patchwarden.operator;

import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.node.NodeJobSettings;
import io.patchwarden.operator.report.ReportAuth;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator configuration, read from environment variables (the Helm chart sets them).
 *
 * @param leaderElection reconcile only while holding the Lease (default true)
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease; null means the client's namespace
 * @param managementAddress address of the management HTTP server
 * @param managementPort port of /healthz, /readyz and /metrics (0 picks a free port)
 * @param watchNamespaces namespaces to reconcile; empty means all
 * @param installCrds create or update the CRDs at start (for development; the chart installs them)
 * @param serverSideApply write status with server-side apply (off only for API servers without SSA,
 *     such as the Fabric8 mock server)
 * @param gateway the agent gateway
 * @param nodeJobs where node patch and reboot Jobs run
 * @param reportAuth how callers of /report are checked
 * @param enrollmentNamespaces the only namespaces whose enrollment-token Secrets the gateway reads
 *     (so RBAC can grant Secrets there only); empty means every namespace
 * @param leaseTimings how long the Lease lasts, the leader's renew deadline and the retry period
 */
public record OperatorSettings(
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String managementAddress,
    int managementPort,
    Set<String> watchNamespaces,
    boolean installCrds,
    boolean serverSideApply,
    GatewaySettings gateway,
    NodeJobSettings nodeJobs,
    ReportAuth reportAuth,
    Set<String> enrollmentNamespaces,
    LeaseTimings leaseTimings) {

  /**
   * Leader-election timings: a follower takes over at most {@code duration + retryPeriod} after the
   * leader stopped renewing; a leader that cannot renew within {@code renewDeadline} steps down.
   */
  public record LeaseTimings(Duration duration, Duration renewDeadline, Duration retryPeriod) {
    /** As in client-go and JOSDK: 15 s, 10 s, 2 s. */
    public static final LeaseTimings DEFAULT =
        new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    /**
     * @throws IllegalArgumentException unless retryPeriod &lt; renewDeadline &lt; duration
     */
    public LeaseTimings {
      if (retryPeriod.compareTo(renewDeadline) >= 0 || renewDeadline.compareTo(duration) >= 0) {
        throw new IllegalArgumentException(
            RETRY_PERIOD
                + " ("
                + retryPeriod
                + ") < "
                + RENEW_DEADLINE
                + " ("
                + renewDeadline
                + ") < "
                + LEASE_DURATION
                + " ("
                + duration
                + ") does not hold");
      }
    }
  }

  public static final String LEADER_ELECTION = "PATCHWARDEN_LEADER_ELECTION";
  public static final String LEASE_NAME = "PATCHWARDEN_LEASE_NAME";
  public static final String LEASE_NAMESPACE = "PATCHWARDEN_LEASE_NAMESPACE";
  public static final String LEASE_DURATION = "PATCHWARDEN_LEASE_DURATION";
  public static final String RENEW_DEADLINE = "PATCHWARDEN_LEASE_RENEW_DEADLINE";
  public static final String RETRY_PERIOD = "PATCHWARDEN_LEASE_RETRY_PERIOD";
  public static final String MANAGEMENT_ADDRESS = "PATCHWARDEN_MANAGEMENT_ADDRESS";
  public static final String MANAGEMENT_PORT = "PATCHWARDEN_MANAGEMENT_PORT";
  public static final String WATCH_NAMESPACES = "PATCHWARDEN_WATCH_NAMESPACES";
  public static final String INSTALL_CRDS = "PATCHWARDEN_INSTALL_CRDS";
  public static final String SERVER_SIDE_APPLY = "PATCHWARDEN_SERVER_SIDE_APPLY";
  public static final String GATEWAY_ENABLED = "PATCHWARDEN_GATEWAY_ENABLED";
  public static final String GATEWAY_ADDRESS = "PATCHWARDEN_GATEWAY_ADDRESS";
  public static final String GATEWAY_PORT = "PATCHWARDEN_GATEWAY_PORT";
  public static final String GATEWAY_TLS_CERT = "PATCHWARDEN_GATEWAY_TLS_CERT";
  public static final String GATEWAY_TLS_KEY = "PATCHWARDEN_GATEWAY_TLS_KEY";
  public static final String CHECKIN_INTERVAL = "PATCHWARDEN_CHECKIN_INTERVAL";
  public static final String LAST_SEEN_REFRESH = "PATCHWARDEN_LAST_SEEN_REFRESH";
  public static final String NODE_JOB_NAMESPACE = "PATCHWARDEN_NODE_JOB_NAMESPACE";
  public static final String NODE_JOB_SERVICE_ACCOUNT = "PATCHWARDEN_NODE_JOB_SERVICE_ACCOUNT";
  public static final String REPORT_AUTH = "PATCHWARDEN_REPORT_AUTH";
  public static final String NODE_POLICY_NAMESPACES = "PATCHWARDEN_NODE_POLICY_NAMESPACES";
  public static final String ENROLLMENT_NAMESPACES = "PATCHWARDEN_ENROLLMENT_NAMESPACES";

  /** Set by the Helm chart through the downward API. */
  public static final String POD_NAMESPACE = "POD_NAMESPACE";

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
    enrollmentNamespaces = Set.copyOf(enrollmentNamespaces);
  }

  /** The defaults, as a deployed operator uses them. */
  public static OperatorSettings defaults() {
    return fromEnvironment(Map.of());
  }

  /**
   * @throws IllegalArgumentException naming the variable, when a value cannot be used
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return new OperatorSettings(
        bool(env, LEADER_ELECTION, true),
        env.getOrDefault(LEASE_NAME, "patchwarden-operator"),
        env.getOrDefault(LEASE_NAMESPACE, env.get(POD_NAMESPACE)),
        env.getOrDefault(MANAGEMENT_ADDRESS, "0.0.0.0"),
        port(env, MANAGEMENT_PORT, 8081),
        namespaces(env.getOrDefault(WATCH_NAMESPACES, "")),
        bool(env, INSTALL_CRDS, false),
        bool(env, SERVER_SIDE_APPLY, true),
        gateway(env),
        new NodeJobSettings(
            env.getOrDefault(
                NODE_JOB_NAMESPACE,
                env.getOrDefault(POD_NAMESPACE, NodeJobSettings.DEFAULT_NAMESPACE)),
            env.getOrDefault(NODE_JOB_SERVICE_ACCOUNT, NodeJobSettings.DEFAULT_SERVICE_ACCOUNT),
            namespaces(env.getOrDefault(NODE_POLICY_NAMESPACES, ""))),
        reportAuth(env.get(REPORT_AUTH)),
        namespaces(env.getOrDefault(ENROLLMENT_NAMESPACES, "")),
        new LeaseTimings(
            duration(env, LEASE_DURATION, LeaseTimings.DEFAULT.duration()),
            duration(env, RENEW_DEADLINE, LeaseTimings.DEFAULT.renewDeadline()),
            duration(env, RETRY_PERIOD, LeaseTimings.DEFAULT.retryPeriod())));
  }

  private static GatewaySettings gateway(Map<String, String> env) {
    GatewaySettings d = GatewaySettings.defaults();
    String cert = blankToNull(env.get(GATEWAY_TLS_CERT));
    String key = blankToNull(env.get(GATEWAY_TLS_KEY));
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          GATEWAY_TLS_CERT + " and " + GATEWAY_TLS_KEY + " must be set together");
    }
    return new GatewaySettings(
        bool(env, GATEWAY_ENABLED, d.enabled()),
        env.getOrDefault(GATEWAY_ADDRESS, d.address()),
        port(env, GATEWAY_PORT, d.port()),
        cert,
        key,
        duration(env, CHECKIN_INTERVAL, d.checkinInterval()),
        duration(env, LAST_SEEN_REFRESH, d.lastSeenRefresh()),
        d.maxBodyBytes(),
        d.requestsPerSecond(),
        d.burst(),
        d.threads());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(value.trim());
      if (d.isZero()) {
        throw new IllegalArgumentException("must be positive");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + "='" + value + "' is not a duration such as 30s, 5m or 1h", e);
    }
  }

  public OperatorSettings withLeaderElection(boolean value) {
    return new OperatorSettings(
        value,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withManagementPort(int value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        value,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withServerSideApply(boolean value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        value,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withGateway(GatewaySettings value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        value,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withWatchNamespaces(Set<String> value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        value,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withNodeJobs(NodeJobSettings value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        value,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withReportAuth(ReportAuth value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        value,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withLease(String name, String namespace) {
    return new OperatorSettings(
        leaderElection,
        name,
        namespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        leaseTimings);
  }

  public OperatorSettings withEnrollmentNamespaces(Set<String> value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        value,
        leaseTimings);
  }

  public OperatorSettings withLeaseTimings(LeaseTimings value) {
    return new OperatorSettings(
        leaderElection,
        leaseName,
        leaseNamespace,
        managementAddress,
        managementPort,
        watchNamespaces,
        installCrds,
        serverSideApply,
        gateway,
        nodeJobs,
        reportAuth,
        enrollmentNamespaces,
        value);
  }

  private static ReportAuth reportAuth(String value) {
    if (value == null || value.isBlank()) {
      return ReportAuth.Kubernetes;
    }
    for (ReportAuth a : ReportAuth.values()) {
      if (a.name().equalsIgnoreCase(value.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        REPORT_AUTH + "='" + value + "' is not one of Kubernetes, None");
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException(
              name + "='" + value + "' is not a boolean; use true or false");
    };
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "='" + value + "' is not a TCP port (0..65535)", e);
    }
  }

  private static Set<String> namespaces(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }
}
