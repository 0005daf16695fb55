package io.patchwarden.operator.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.patchwarden.agent.simulator.Fleet;
import io.patchwarden.agent.simulator.FleetConfig;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.operator.CrdInstaller;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.node.NodeEvent;
import io.patchwarden.operator.node.NodeJobSettings;
import io.patchwarden.operator.report.ReportAuth;
import io.patchwarden.operator.rollout.EventRecorder;
import io.patchwarden.operator.rollout.RunEvent;
import io.patchwarden.operator.testing.Enrollment;
import io.patchwarden.operator.testing.NodeSimulator;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code make demo}: Patchwarden's whole job in one command. Starts (or uses) a cluster, installs
 * the CRDs and a demo tenant built from examples/, runs the operator with its gateway in this JVM,
 * a fleet of simulated agents enrolling over HTTP and simulated nodes with PodDisruptionBudgets,
 * and shows the rollouts until everything has converged. Exit codes: 0 converged, 2 stopped
 * unconverged after {@code --duration}, 64 bad options, 1 anything else.
 */
public final class Demo {
  static final int CONVERGED = 0;
  static final int NOT_CONVERGED = 2;
  static final int USAGE = 64;

  /** Policies must stay settled this long: between two runs a policy looks idle for a moment. */
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private static final Duration CHECKIN = Duration.ofSeconds(5);
  private static final Set<String> NOTABLE =
      Set.of(
          RunEvent.RunStarted.name(),
          RunEvent.WaitingForApproval.name(),
          RunEvent.WaveStarted.name(),
          RunEvent.RunHalted.name(),
          RunEvent.RunSucceeded.name(),
          RunEvent.RunFailed.name(),
          NodeEvent.NodeCordoned.name(),
          NodeEvent.NodeRebooting.name(),
          NodeEvent.NodePatched.name(),
          NodeEvent.NodePatchFailed.name());

  private final DemoOptions options;
  private final PrintStream out;
  private final Screen screen;
  private final Clock clock = Clock.systemUTC();
  private final Deque<AutoCloseable> closers = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Fleet> fleets = new ArrayList<>();
  private KubernetesClient client;
  private PatchwardenOperator operator;
  private Path kubeconfigFile;
  private boolean embedded;
  private int simulatedNodes;
  private SharedIndexInformer<ManagedEndpoint> endpoints;
  private String hintedRun;
  private Instant waitingSince;

  Demo(DemoOptions options, PrintStream out, boolean redraw) {
    this.options = options;
    this.out = out;
    this.screen = new Screen(out, redraw, clock);
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(DemoOptions.USAGE);
      return;
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.print(DemoOptions.USAGE);
      System.exit(USAGE);
      return;
    }
    boolean redraw = !options.plain() && Screen.isTerminal(System.getenv());
    Demo demo = new Demo(options, System.out, redraw);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-stop"));
    int code;
    try {
      code = demo.run();
    } catch (RuntimeException e) {
      System.err.println("demo: " + e.getMessage());
      code = 1;
    } finally {
      demo.close();
    }
    System.exit(code);
  }

  /** Runs the demo to the end; returns the exit code. */
  int run() {
    Instant started = clock.instant();
    connect();
    CrdInstaller.install(client, true);
    prepareTenant(started);
    startOperator();
    startNodes();
    startFleets();
    watchEvents();
    printWhereToLook();
    boolean converged = watchUntilConverged(started.plus(options.duration()));
    long seconds = Duration.between(started, clock.instant()).toSeconds();
    List<PolicyRow> rows = snapshot();
    screen.table(header(started), rows);
    Path report = writeReport();
    out.println();
    ProgressView.summary(rows, converged, seconds).forEach(out::println);
    if (report != null) {
      out.println("  compliance report: " + report.toAbsolutePath());
    }
    return converged ? CONVERGED : NOT_CONVERGED;
  }

  // ------------------------------------------------------------------ the cluster

  private void connect() {
    if (!options.embedded() && options.kubeconfig() != null) {
      KubernetesClient external = reachable(options.kubeconfig());
      if (external != null) {
        client = external;
        closers.push(client);
        out.println("Using the cluster of " + options.kubeconfig());
        return;
      }
    }
    out.println("Starting an embedded kube-apiserver and etcd (binaries of make kube-binaries)…");
    KubeAPIServer server = RealApiServerCluster.startServer();
    closers.push(server::stop);
    embedded = true;
    try {
      Files.createDirectories(options.workDir());
      kubeconfigFile = options.workDir().resolve("kubeconfig").toAbsolutePath();
      Files.writeString(kubeconfigFile, server.getKubeConfigYaml());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the kubeconfig in " + options.workDir(), e);
    }
    client = new KubernetesClientBuilder().withConfig(config(server.getKubeConfigYaml())).build();
    closers.push(client);
    out.println("Embedded cluster up; its kubeconfig: " + kubeconfigFile);
  }

  private KubernetesClient reachable(Path kubeconfig) {
    try {
      KubernetesClient candidate =
          new KubernetesClientBuilder().withConfig(config(Files.readString(kubeconfig))).build();
      try {
        candidate.getKubernetesVersion();
        return candidate;
      } catch (RuntimeException e) {
        candidate.close();
        out.println(
            "The cluster of "
                + kubeconfig
                + " is not reachable ("
                + e.getMessage()
                + "); using an embedded one instead.");
      }
    } catch (IOException | RuntimeException e) {
      out.println(
          "Cannot read " + kubeconfig + " (" + e.getMessage() + "); using an embedded one.");
    }
    return null;
  }

  private static Config config(String kubeconfigYaml) {
    Config config = Config.fromKubeconfig(kubeconfigYaml);
    config.setRequestTimeout(30_000);
    config.setConnectionTimeout(10_000);
    return config;
  }

  // ------------------------------------------------------------------ the tenant

  private void prepareTenant(Instant now) {
    Enrollment.source(client, DemoTenant.OFFICE);
    namespace(DemoTenant.NODES);
    List<ObjectNode> objects =
        DemoTenant.build(examples(), now, options.secondWindowIn(), options.soak());
    for (var o :
        client
            .load(
                new ByteArrayInputStream(DemoTenant.yaml(objects).getBytes(StandardCharsets.UTF_8)))
            .items()) {
      client.resource(o).createOr(existing -> existing.update());
    }
    out.printf(
        Locale.ROOT,
        "Applied %d objects from examples/small-office.yaml and examples/cluster-nodes.yaml to"
            + " namespaces %s and %s%n",
        objects.size(),
        DemoTenant.OFFICE,
        DemoTenant.NODES);
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  private static Path examples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("examples").resolve("small-office.yaml"))) {
        return dir.resolve("examples");
      }
    }
    throw new IllegalStateException("run the demo from the repository (examples/ not found)");
  }

  // ------------------------------------------------------------------ operator, nodes, fleet

  private void startOperator() {
    OperatorSettings d = OperatorSettings.defaults();
    OperatorSettings settings =
        new OperatorSettings(
            false,
            d.leaseName(),
            d.leaseNamespace(),
            "127.0.0.1",
            0,
            Set.of(DemoTenant.OFFICE, DemoTenant.NODES),
            false,
            true,
            new GatewaySettings(
                true,
                "127.0.0.1",
                0,
                null,
                null,
                CHECKIN,
                Duration.ofSeconds(20),
                1024 * 1024,
                20.0,
                50,
                16),
            new NodeJobSettings(DemoTenant.NODES, NodeJobSettings.DEFAULT_SERVICE_ACCOUNT),
            // /report without a token: the management port listens on 127.0.0.1 only.
            ReportAuth.None,
            Set.of(DemoTenant.OFFICE),
            d.leaseTimings());
    try {
      operator = PatchwardenOperator.start(client, settings, clock);
    } catch (IOException e) {
      throw new IllegalStateException("the operator did not start: " + e.getMessage(), e);
    }
    closers.push(operator);
  }

  private void startNodes() {
    if (options.nodes() == 0 || !(embedded || options.simulateNodes())) {
      if (!embedded && options.nodes() > 0) {
        out.println(
            "No simulated nodes on a real cluster (--simulate-nodes adds them); the node policy"
                + " selects only nodes labelled "
                + DemoTenant.DEMO_NODE_LABEL
                + "=true, so it never touches a real one.");
      }
      return;
    }
    NodeSimulator.Settings.Builder nodes =
        NodeSimulator.Settings.builder().nodes(options.nodes()).namePrefix("demo-node");
    String last = nodes.build().nodeName(options.nodes());
    NodeSimulator sim =
        NodeSimulator.start(
            client,
            DemoTenant.NODES,
            nodes
                .label(DemoTenant.DEMO_NODE_LABEL, "true")
                .nodeLabel(last, "node-role.kubernetes.io/control-plane", "")
                .kernels("6.1.0-27-amd64", "6.1.0-28-amd64")
                .patchDuration(Duration.ofSeconds(2))
                .rebootDuration(Duration.ofSeconds(3))
                .build());
    closers.push(sim);
    namespace("demo-shop");
    sim.workload("demo-shop", "web", 3, 2);
    sim.workload("demo-shop", "api", 2, 1);
    simulatedNodes = options.nodes();
  }

  private void startFleets() {
    String it = token();
    String laptops = token();
    String servers = token();
    Enrollment.token(client, DemoTenant.OFFICE, "it-laptops", it, "role=laptop,department=it");
    Enrollment.token(client, DemoTenant.OFFICE, "laptops", laptops, "role=laptop");
    Enrollment.token(client, DemoTenant.OFFICE, "servers", servers, "role=server");
    URI gateway = URI.create("http://127.0.0.1:" + operator.gatewayPort());
    int total = options.agents();
    int stale = options.staleAgents();
    int itCount = Math.max(1, total / 20);
    int serverCount = Math.max(1, total * 15 / 100);
    int laptopCount = total - itCount - serverCount - stale;
    if (laptopCount < 1) {
      throw new IllegalArgumentException(
          "--agents is too small for the demo's groups: use 10 or more");
    }
    fleets.add(fleet(gateway, it, itCount, 11, options.failureRate()));
    fleets.add(fleet(gateway, laptops, laptopCount, 12, options.failureRate()));
    fleets.add(fleet(gateway, servers, serverCount, 13, options.failureRate()));
    Fleet silent = stale > 0 ? fleet(gateway, laptops, stale, 14, 0) : null;
    if (silent != null) {
      fleets.add(silent);
    }
    fleets.forEach(
        f -> {
          closers.push(f);
          f.start();
        });
    endpoints = client.resources(ManagedEndpoint.class).inNamespace(DemoTenant.OFFICE).inform();
    closers.push(endpoints::close);
    if (silent != null) {
      Thread silencer =
          new Thread(
              () -> {
                // They go silent once every one of them has reported an inventory.
                org.awaitility.Awaitility.await()
                    .atMost(Duration.ofMinutes(5))
                    .until(() -> silent.stats().checkinsOk() >= 2L * silent.config().count());
                silent.stop();
                screen.note(stale + " laptops stopped checking in: they turn Stale after 90 s");
              },
              "demo-silence");
      silencer.setDaemon(true);
      silencer.start();
    }
    out.printf(
        Locale.ROOT,
        "Fleet: %d simulated agents enrolling through the gateway at %s (%d IT laptops, %d laptops,"
            + " %d servers, %d that go silent; %.0f%% of installs fail)%n",
        total,
        gateway,
        itCount,
        laptopCount,
        serverCount,
        stale,
        options.failureRate() * 100);
  }

  private Fleet fleet(URI gateway, String token, int count, long seed, double failureRate) {
    return new Fleet(
        FleetConfig.builder(gateway, token)
            .count(count)
            .seed(seed)
            .failureRate(failureRate)
            .checkinInterval(CHECKIN)
            .rampUp(Duration.ofSeconds(10))
            .installTimeFactor(0.005)
            .threads(2)
            .build());
  }

  private static String token() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  // ------------------------------------------------------------------ watching

  private void watchEvents() {
    var watch =
        client
            .v1()
            .events()
            .inAnyNamespace()
            .watch(
                new Watcher<Event>() {
                  @Override
                  public void eventReceived(Action action, Event e) {
                    if (action == Action.ADDED && notable(e)) {
                      screen.note(
                          String.format(
                              Locale.ROOT,
                              "%-8s %-22s %s/%s: %s",
                              "Warning".equals(e.getType()) ? "WARNING" : "event",
                              e.getReason(),
                              e.getInvolvedObject().getKind(),
                              e.getInvolvedObject().getName(),
                              e.getMessage()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    closers.push(watch::close);
  }

  private static boolean notable(Event e) {
    return e.getSource() != null
        && EventRecorder.COMPONENT.equals(e.getSource().getComponent())
        && NOTABLE.contains(e.getReason())
        && Stream.of(DemoTenant.OFFICE, DemoTenant.NODES, "default")
            .anyMatch(ns -> ns.equals(e.getMetadata().getNamespace()));
  }

  private void printWhereToLook() {
    String mgmt = "http://127.0.0.1:" + operator.managementPort();
    out.println("Metrics:  " + mgmt + "/metrics");
    out.println("Report:   " + mgmt + "/report?format=html   (also csv, json)");
    if (kubeconfigFile != null) {
      out.println(
          "Watch it: export KUBECONFIG="
              + kubeconfigFile
              + "; kubectl get pp,mw,epg,mep,pr -A"
              + (simulatedNodes > 0 ? "; kubectl get nodes" : ""));
    }
    out.println(
        "Runs until every policy has converged (at most "
            + options.duration().toMinutes()
            + " min); Ctrl-C stops it and the embedded cluster.");
    out.println();
  }

  private boolean watchUntilConverged(Instant deadline) {
    Instant started = clock.instant();
    Instant settledSince = null;
    List<PolicyRow> previous = List.of();
    while (clock.instant().isBefore(deadline)) {
      List<PolicyRow> rows = snapshot();
      screen.table(header(started), rows);
      approvalHint(rows);
      boolean unchanged = rows.equals(previous);
      previous = rows;
      if (ProgressView.converged(rows) && unchanged) {
        settledSince = settledSince == null ? clock.instant() : settledSince;
        if (!clock.instant().isBefore(settledSince.plus(SETTLE))) {
          return true;
        }
      } else {
        settledSince = null;
      }
      pause();
    }
    return false;
  }

  @SuppressWarnings("java:S2925") // the demo's redraw interval, not a synchronisation
  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private String header(Instant started) {
    long enrolled = endpoints == null ? 0 : endpoints.getStore().list().size();
    return String.format(
        Locale.ROOT,
        "%d endpoints enrolled, %d simulated nodes, %d s",
        enrolled,
        simulatedNodes,
        Duration.between(started, clock.instant()).toSeconds());
  }

  /** Tells how to approve a waiting run; approves it after {@code --approve-after}. */
  private void approvalHint(List<PolicyRow> rows) {
    for (PolicyRow row : rows) {
      if (!row.waitingForApproval() || row.run() == null) {
        continue;
      }
      if (!row.run().equals(hintedRun)) {
        hintedRun = row.run();
        waitingSince = clock.instant();
        screen.note(
            "Run "
                + row.run()
                + " waits for approval. Approve it:  kubectl patch pp "
                + row.name()
                + " -n "
                + row.namespace()
                + " --type=json -p '[{\"op\":\"add\",\"path\":\"/spec/approval/approvedRuns\","
                + "\"value\":[\""
                + row.run()
                + "\"]}]'"
                + (options.approveAfter() == null
                    ? ""
                    : "   (the demo approves it in " + options.approveAfter().toSeconds() + " s)"));
      } else if (options.approveAfter() != null
          && !clock.instant().isBefore(waitingSince.plus(options.approveAfter()))) {
        approve(row);
        waitingSince = Instant.MAX.minusSeconds(1_000_000);
      }
    }
  }

  private void approve(PolicyRow row) {
    PatchPolicy policy =
        client.resources(PatchPolicy.class).inNamespace(row.namespace()).withName(row.name()).get();
    List<String> approved = policy.getSpec().getApproval().getApprovedRuns();
    String op =
        approved == null
            ? "[{\"op\":\"add\",\"path\":\"/spec/approval/approvedRuns\",\"value\":[\""
                + row.run()
                + "\"]}]"
            : "[{\"op\":\"add\",\"path\":\"/spec/approval/approvedRuns/-\",\"value\":\""
                + row.run()
                + "\"}]";
    client
        .resources(PatchPolicy.class)
        .inNamespace(row.namespace())
        .withName(row.name())
        .patch(PatchContext.of(PatchType.JSON), op);
    screen.note("Nobody approved " + row.run() + " in time: the demo approved it.");
  }

  /** The demo's policies as the API server has them now (two small LISTs a second). */
  private List<PolicyRow> snapshot() {
    List<PolicyRow> rows = new ArrayList<>();
    for (String ns : List.of(DemoTenant.OFFICE, DemoTenant.NODES)) {
      Map<String, PatchRun> runs = new java.util.HashMap<>();
      client
          .resources(PatchRun.class)
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(r -> runs.put(r.getMetadata().getName(), r));
      for (PatchPolicy p : client.resources(PatchPolicy.class).inNamespace(ns).list().getItems()) {
        rows.add(DemoRows.row(p, runs));
      }
    }
    rows.sort(Comparator.comparing(PolicyRow::key));
    return rows;
  }

  private Path writeReport() {
    try {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + operator.managementPort()
                                  + "/report?format=html&namespace="
                                  + DemoTenant.OFFICE))
                      .timeout(Duration.ofSeconds(60))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        out.println("The report answered " + response.statusCode() + "; no report file written.");
        return null;
      }
      Files.createDirectories(options.workDir());
      Path file = options.workDir().resolve("report.html");
      Files.write(file, response.body());
      return file;
    } catch (IOException e) {
      out.println("Could not fetch the report: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Stops everything this demo started, newest first; idempotent (Ctrl-C and normal end). */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    while (!closers.isEmpty()) {
      try {
        closers.pop().close();
      } catch (Exception e) {
        System.err.println("demo: while stopping: " + e.getMessage());
      }
    }
  }
}
