package io.patchwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.patchwarden.operator.gateway.AgentGateway;
import io.patchwarden.operator.gateway.GatewayServer;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.gateway.KubernetesEndpointStore;
import io.patchwarden.operator.inventory.EndpointGroupReconciler;
import io.patchwarden.operator.inventory.GroupGauges;
import io.patchwarden.operator.inventory.ManagedEndpointReconciler;
import io.patchwarden.operator.management.Health;
import io.patchwarden.operator.management.ManagementServer;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.node.NodeGauges;
import io.patchwarden.operator.node.NodeJobs;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.policy.ComplianceWriter;
import io.patchwarden.operator.policy.PatchPolicyReconciler;
import io.patchwarden.operator.policy.PolicyGauges;
import io.patchwarden.operator.report.ReportAccess;
import io.patchwarden.operator.report.ReportAuth;
import io.patchwarden.operator.report.ReportHandler;
import io.patchwarden.operator.rollout.EventRecorder;
import io.patchwarden.operator.rollout.Rollouts;
import io.patchwarden.operator.rollout.RunGauges;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.support.ParallelWrites;
import io.patchwarden.operator.window.MaintenanceWindowReconciler;
import io.patchwarden.operator.window.WindowGauges;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires the reconcilers into JOSDK, with leader election, metrics and the
 * management port. {@link Main} runs it as a process; tests run it in-process.
 */
public final class PatchwardenOperator implements AutoCloseable, Health {
  private static final Logger LOG = LoggerFactory.getLogger(PatchwardenOperator.class);

  private final OperatorSettings settings;
  private final PrometheusMeterRegistry registry;
  private final WindowGauges windowGauges;
  private final GroupGauges groupGauges;
  private final PolicyGauges policyGauges;
  private final RunGauges runGauges;
  private final NodeGauges nodeGauges;
  private final ParallelWrites assignmentWriter;

  /** Concurrent assignment writes of one pass (maxConcurrent 100% admits a whole fleet). */
  private static final int ASSIGNMENT_WRITERS = 8;

  private final ComplianceWriter complianceWriter;
  private final ParallelWrites complianceWrites;

  /** Concurrent compliance writes of one policy pass (a first pass writes to every endpoint). */
  private static final int COMPLIANCE_WRITERS = 8;

  private final Operator operator;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ManagementServer management;
  private KubernetesEndpointStore endpointStore;
  private GatewayServer gatewayServer;
  private java.util.concurrent.ExecutorService refreshExecutor;

  private PatchwardenOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this.settings = settings;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindProcessMetrics();
    this.operator = new Operator(configuration(client));
    StatusWriter statusWriter = new StatusWriter(settings.serverSideApply());
    this.windowGauges = new WindowGauges(registry);
    this.groupGauges = new GroupGauges(registry);
    this.policyGauges = new PolicyGauges(registry, clock);
    this.runGauges = new RunGauges(registry);
    this.nodeGauges = new NodeGauges(registry, clock);
    this.assignmentWriter = new ParallelWrites(ASSIGNMENT_WRITERS);
    this.complianceWrites = new ParallelWrites(COMPLIANCE_WRITERS);
    this.complianceWriter = new ComplianceWriter(client, complianceWrites);
    EventRecorder events = new EventRecorder(client, clock);
    NodePatcher nodePatcher =
        new NodePatcher(
            client,
            clock,
            new NodeJobs(client, settings.nodeJobs()),
            events,
            registry,
            assignmentWriter);
    List<Reconciler<?>> reconcilers =
        List.of(
            new MaintenanceWindowReconciler(statusWriter, clock, windowGauges),
            new EndpointGroupReconciler(statusWriter, clock, groupGauges),
            new ManagedEndpointReconciler(statusWriter, clock),
            new PatchPolicyReconciler(
                statusWriter,
                clock,
                policyGauges,
                complianceWriter,
                registry,
                new Rollouts(
                    client, clock, events, runGauges, registry, assignmentWriter, nodePatcher),
                nodePatcher,
                nodeGauges));
    reconcilers.forEach(this::register);
  }

  /**
   * Starts the management port and the operator. Returns once the informers of this replica are
   * synced (immediately for a replica waiting for the leader Lease).
   */
  public static PatchwardenOperator start(
      KubernetesClient client, OperatorSettings settings, Clock clock) throws IOException {
    if (settings.installCrds()) {
      CrdInstaller.install(client, true);
    }
    if (settings.reportAuth() == ReportAuth.None) {
      LOG.warn(
          "PATCHWARDEN_REPORT_AUTH=None: /report, which lists every endpoint's inventory, is open"
              + " to anyone who reaches the management port");
    }
    PatchwardenOperator instance = new PatchwardenOperator(client, settings, clock);
    instance.management =
        ManagementServer.start(
            settings.managementAddress(),
            settings.managementPort(),
            instance,
            instance.registry,
            instance::refreshGauges,
            new ReportHandler(
                client,
                clock,
                settings.reportAuth() == ReportAuth.None
                    ? ReportAccess.open()
                    : ReportAccess.kubernetes(client, clock)));
    try {
      instance.startGateway(client, clock);
      instance.operator.start();
    } catch (IOException | RuntimeException e) {
      instance.closeGateway();
      instance.management.close();
      throw e;
    }
    instance.started.set(true);
    if (!settings.leaderElection()) {
      instance.leader.set(true);
    }
    LOG.info(
        "Patchwarden operator started; management port {}, leader election {}",
        instance.management.port(),
        settings.leaderElection() ? "on (Lease " + settings.leaseName() + ")" : "off");
    return instance;
  }

  private Consumer<io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider>
      configuration(KubernetesClient client) {
    return o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(leaderElection());
      }
    };
  }

  private LeaderElectionConfiguration leaderElection() {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leader.set(true);
              LOG.info("Became leader; reconciling");
            },
            () -> {
              leader.set(false);
              if (stopped.get()) {
                LOG.info("Released the Lease");
                return;
              }
              // A replica that lost its Lease while running must stop reconciling at once: the
              // process ends and Kubernetes restarts it as a follower.
              LOG.error("Lost the Lease while running; exiting so that the new leader alone acts");
              new Thread(() -> System.exit(1), "lost-lease-exit").start();
            },
            identity -> LOG.info("Current leader: {}", identity));
    // Not JOSDK's exitOnStopLeading: it also exits on a deliberate stop, which releases the Lease
    // from inside a shutdown hook, where System.exit blocks forever.
    return new LeaderElectionConfiguration(
        settings.leaseName(),
        settings.leaseNamespace(),
        settings.leaseTimings().duration(),
        settings.leaseTimings().renewDeadline(),
        settings.leaseTimings().retryPeriod(),
        null,
        callbacks,
        false);
  }

  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
      Reconciler<P> reconciler) {
    Consumer<ControllerConfigurationOverrider<P>> namespaces =
        settings.watchNamespaces().isEmpty()
            ? ControllerConfigurationOverrider::watchingAllNamespaces
            : o -> o.settingNamespaces(settings.watchNamespaces());
    operator.register(reconciler, namespaces.andThen(o -> o.withRetry(transientErrorRetry())));
  }

  /**
   * Transient API errors (a 409 on a stale write, a timeout, an unavailable API server) are retried
   * with exponential backoff up to every 5 minutes, without giving up: an operator that stops
   * retrying leaves objects unreconciled until the next unrelated event. Invalid specs never throw;
   * they become Ready=False and wait for a change.
   */
  static GenericRetry transientErrorRetry() {
    return new GenericRetry()
        .setInitialInterval(Duration.ofMillis(500))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis())
        .withoutMaxAttempts();
  }

  private void bindProcessMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder(MetricNames.LEADER, leader, l -> l.get() ? 1 : 0)
        .description(MetricNames.LEADER_HELP)
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int managementPort() {
    return management.port();
  }

  /** Resource gauges are computed from the controllers' caches just before each scrape. */
  private void refreshGauges() {
    windowGauges.refresh();
    groupGauges.refresh();
    policyGauges.refresh();
    runGauges.refresh();
    nodeGauges.refresh();
  }

  /**
   * The agent gateway serves in every replica, leader or not: agents must be able to check in while
   * a new leader is elected. It keeps its own informers (the controllers' run only in the leader).
   */
  private void startGateway(KubernetesClient client, Clock clock) throws IOException {
    GatewaySettings gateway = settings.gateway();
    if (!gateway.enabled()) {
      return;
    }
    endpointStore = new KubernetesEndpointStore(client, settings.enrollmentNamespaces());
    refreshExecutor = GatewayServer.refreshExecutor();
    gatewayServer =
        GatewayServer.start(
            new AgentGateway(endpointStore, gateway, clock, registry, refreshExecutor),
            gateway,
            registry);
  }

  private void closeGateway() {
    if (gatewayServer != null) {
      gatewayServer.close();
    }
    if (refreshExecutor != null) {
      refreshExecutor.shutdown();
    }
    if (endpointStore != null) {
      endpointStore.close();
    }
  }

  /** The agent gateway's port, or -1 when it is disabled. */
  public int gatewayPort() {
    return gatewayServer == null ? -1 : gatewayServer.port();
  }

  public boolean isLeader() {
    return leader.get();
  }

  @Override
  public boolean live() {
    return !stopped.get();
  }

  @Override
  public Readiness ready() {
    if (!started.get() || stopped.get()) {
      return new Readiness(false, "operator not started");
    }
    if (leader.get() && !operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return new Readiness(
          false,
          "unhealthy event sources: " + operator.getRuntimeInfo().unhealthyEventSources().keySet());
    }
    return new Readiness(true, "");
  }

  /** Stops reconciling, then the management port. Safe to call more than once. */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Stopping Patchwarden operator");
    try {
      operator.stop();
    } finally {
      complianceWrites.close();
      assignmentWriter.close();
      closeGateway();
      if (management != null) {
        management.close();
      }
      registry.close();
    }
  }
}
