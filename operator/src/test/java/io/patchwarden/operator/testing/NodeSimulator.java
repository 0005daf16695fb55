package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a cluster that a bare kube-apiserver lacks, for the node-patching tests: it plays
 * the kubelets of N simulated Nodes (status, heartbeats, reboots, removal of terminating pods), the
 * Job controller for Patchwarden's patch and reboot Jobs, a ReplicaSet-like controller for its
 * workloads and the disruption controller that keeps every PodDisruptionBudget's status right (the
 * API server's eviction handler decides from that status alone).
 *
 * <p>It records what it saw, from watches: how many nodes were in flight or cordoned at once, the
 * fewest Ready pods each workload ever had, the Jobs created per node and the reboots. Everything
 * it does runs on one scheduler thread, so the simulated hosts need no locking; simulated time is
 * scheduled on it, never slept.
 *
 * <p>One simulator per API server at a time: it keeps the status of every PodDisruptionBudget.
 */
public final class NodeSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSimulator.class);

  /** The Job contract with the operator. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY = "patchwarden";
  public static final String JOB_LABEL = "patchwarden.io/job";
  public static final String NODE_ANNOTATION = "patchwarden.io/node";
  public static final String REBOOT_MODE_ENV = "REBOOT_MODE";
  public static final String REBOOT_REQUIRED_ENV = "REBOOT_REQUIRED";

  /** The label selecting a workload's pods (and its PDB's selector). */
  public static final String APP_LABEL = "app";

  private static final Set<NodeState> IN_FLIGHT =
      EnumSet.of(
          NodeState.Cordoned,
          NodeState.Drained,
          NodeState.Patching,
          NodeState.Rebooting,
          NodeState.Verifying);
  private static final Duration RESYNC = Duration.ofMillis(500);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DISRUPTED_POD_TIMEOUT = Duration.ofMinutes(2);
  private static final int CONFLICT_ATTEMPTS = 20;
  private static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.9";

  /** The kind of a Patchwarden node Job ({@code patchwarden.io/job}). */
  public enum JobKind {
    Patch("patch"),
    Reboot("reboot");

    private final String label;

    JobKind(String label) {
      this.label = label;
    }

    /** The {@code patchwarden.io/job} label value. */
    public String label() {
      return label;
    }

    static Optional<JobKind> ofLabel(String value) {
      for (JobKind kind : values()) {
        if (kind.label.equals(value)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * A Patchwarden Job as the simulator first saw it.
   *
   * @param rebootMode the reboot Job's {@code REBOOT_MODE}, null for a patch Job
   * @param rebootRequired the reboot Job's {@code REBOOT_REQUIRED}, null for a patch Job
   */
  public record SimJob(
      String namespace,
      String name,
      JobKind kind,
      String node,
      Instant seen,
      String rebootMode,
      String rebootRequired) {}

  /**
   * How the simulated cluster looks and behaves. Build with {@link #builder()}.
   *
   * @param nodes how many nodes: {@code <namePrefix>-01} ...
   * @param namePrefix distinct per test class: Nodes are cluster-scoped and the server is shared
   * @param labels on every node (tests select the simulated nodes with them)
   * @param nodeLabels extra labels per node name (e.g. a control-plane role)
   * @param cordoned nodes created with spec.unschedulable=true (an admin cordoned them)
   * @param kernelVersion every node's kernel at start
   * @param newKernelVersion what a successful patch Job installs (running after the reboot)
   * @param osImage nodeInfo.osImage (a patch does not change it)
   * @param kernelWithoutReboot the new kernel runs as soon as the patch Job succeeds (live patch)
   * @param failPatch nodes whose patch Job fails
   * @param neverReady nodes that go down for a reboot and never come back
   * @param patchDuration how long a patch Job runs
   * @param rebootDuration how long a node is NotReady while it reboots
   * @param podStartDelay from a replacement pod's creation to Ready
   * @param heartbeatInterval how often up nodes refresh their Ready heartbeat
   */
  public record Settings(
      int nodes,
      String namePrefix,
      Map<String, String> labels,
      Map<String, Map<String, String>> nodeLabels,
      Set<String> cordoned,
      String kernelVersion,
      String newKernelVersion,
      String osImage,
      boolean kernelWithoutReboot,
      Set<String> failPatch,
      Set<String> neverReady,
      Duration patchDuration,
      Duration rebootDuration,
      Duration podStartDelay,
      Duration heartbeatInterval) {

    public Settings {
      if (nodes < 1 || nodes > 999) {
        throw new IllegalArgumentException("1 to 999 nodes, not " + nodes);
      }
      labels = Map.copyOf(labels);
      nodeLabels =
          nodeLabels.entrySet().stream()
              .collect(
                  Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
      cordoned = Set.copyOf(cordoned);
      failPatch = Set.copyOf(failPatch);
      neverReady = Set.copyOf(neverReady);
      Set<String> names = new HashSet<>();
      for (int i = 1; i <= nodes; i++) {
        names.add(nodeName(namePrefix, i));
      }
      for (Collection<String> named :
          List.of(nodeLabels.keySet(), cordoned, failPatch, neverReady)) {
        if (!names.containsAll(named)) {
          throw new IllegalArgumentException("not a simulated node in " + named + ": " + names);
        }
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The name of node {@code index} (1-based). */
    public String nodeName(int index) {
      return nodeName(namePrefix, index);
    }

    private static String nodeName(String prefix, int index) {
      return String.format("%s-%02d", prefix, index);
    }

    public List<String> nodeNames() {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= nodes; i++) {
        names.add(nodeName(i));
      }
      return names;
    }

    /** Defaults: 3 nodes {@code sim-node-0N}, Debian 12, durations of a few hundred ms. */
    public static final class Builder {
      private int nodes = 3;
      private String namePrefix = "sim-node";
      private final Map<String, String> labels = new LinkedHashMap<>();
      private final Map<String, Map<String, String>> nodeLabels = new LinkedHashMap<>();
      private final Set<String> cordoned = new LinkedHashSet<>();
      private String kernelVersion = "6.1.0-27-amd64";
      private String newKernelVersion = "6.1.0-28-amd64";
      private String osImage = "Debian GNU/Linux 12 (bookworm)";
      private boolean kernelWithoutReboot;
      private final Set<String> failPatch = new LinkedHashSet<>();
      private final Set<String> neverReady = new LinkedHashSet<>();
      private Duration patchDuration = Duration.ofMillis(300);
      private Duration rebootDuration = Duration.ofMillis(500);
      private Duration podStartDelay = Duration.ofMillis(300);
      private Duration heartbeatInterval = Duration.ofSeconds(20);

      private Builder() {}

      public Builder nodes(int count) {
        this.nodes = count;
        return this;
      }

      public Builder namePrefix(String prefix) {
        this.namePrefix = prefix;
        return this;
      }

      /** A label on every simulated node. */
      public Builder label(String key, String value) {
        labels.put(key, value);
        return this;
      }

      /** An extra label on one node. */
      public Builder nodeLabel(String node, String key, String value) {
        nodeLabels.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(key, value);
        return this;
      }

      /** Nodes created unschedulable (cordoned by an admin before the test). */
      public Builder cordoned(String... names) {
        cordoned.addAll(List.of(names));
        return this;
      }

      /** The running kernel and the one a successful patch Job installs. */
      public Builder kernels(String current, String next) {
        this.kernelVersion = current;
        this.newKernelVersion = next;
        return this;
      }

      public Builder osImage(String image) {
        this.osImage = image;
        return this;
      }

      /** The new kernel runs as soon as the patch Job succeeds, without a reboot. */
      public Builder kernelWithoutReboot(boolean value) {
        this.kernelWithoutReboot = value;
        return this;
      }

      /** Nodes whose patch Job fails. */
      public Builder failPatchOn(String... names) {
        failPatch.addAll(List.of(names));
        return this;
      }

      /** Nodes that go down for a reboot and never come back Ready. */
      public Builder neverReadyAfterReboot(String... names) {
        neverReady.addAll(List.of(names));
        return this;
      }

      public Builder patchDuration(Duration value) {
        this.patchDuration = value;
        return this;
      }

      public Builder rebootDuration(Duration value) {
        this.rebootDuration = value;
        return this;
      }

      public Builder podStartDelay(Duration value) {
        this.podStartDelay = value;
        return this;
      }

      public Builder heartbeatInterval(Duration value) {
        this.heartbeatInterval = value;
        return this;
      }

      public Settings build() {
        return new Settings(
            nodes,
            namePrefix,
            labels,
            nodeLabels,
            cordoned,
            kernelVersion,
            newKernelVersion,
            osImage,
            kernelWithoutReboot,
            failPatch,
            neverReady,
            patchDuration,
            rebootDuration,
            podStartDelay,
            heartbeatInterval);
      }
    }
  }

  /** One simulated host. Fields change on the scheduler thread only; volatile for the getters. */
  private static final class Host {
    final String name;
    final int index;
    volatile String bootId = UUID.randomUUID().toString();
    volatile String kernel;
    volatile String pendingKernel;

    /** The host runs and its kubelet posts status. */
    volatile boolean up = true;

    Instant readySince = now();

    Host(String name, int index, String kernel) {
      this.name = name;
      this.index = index;
      this.kernel = kernel;
    }
  }

  private record WorkloadKey(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  private static final class Workload {
    final WorkloadKey key;
    final int replicas;
    final OwnerReference owner;
    final CompletableFuture<Void> allReady = new CompletableFuture<>();

    Workload(WorkloadKey key, int replicas, OwnerReference owner) {
      this.key = key;
      this.replicas = replicas;
      this.owner = owner;
    }
  }

  private final KubernetesClient client;
  private final String jobNamespace;
  private final Settings settings;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<WorkloadKey, Workload> workloads = new ConcurrentHashMap<>();
  private final History history = new History();
  private final ScheduledExecutorService scheduler;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean syncQueued = new AtomicBoolean();
  private final Set<String> handledJobs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private SharedIndexInformer<Pod> podInformer;

  private NodeSimulator(KubernetesClient client, String jobNamespace, Settings settings) {
    this.client = client;
    this.jobNamespace = jobNamespace;
    this.settings = settings;
    for (int i = 1; i <= settings.nodes(); i++) {
      String name = settings.nodeName(i);
      hosts.put(name, new Host(name, i, settings.kernelVersion()));
    }
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "node-simulator");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Creates the nodes (replacing any of the same name), starts the watches and the simulated
   * controllers. Patchwarden's Jobs are expected in {@code jobNamespace} (created if missing).
   */
  public static NodeSimulator start(
      KubernetesClient client, String jobNamespace, Settings settings) {
    NodeSimulator simulator = new NodeSimulator(client, jobNamespace, settings);
    try {
      simulator.startUp();
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
    return simulator;
  }

  private void startUp() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(jobNamespace).endMetadata().build())
        .createOr(existing -> existing.update());
    for (Host host : hosts.values()) {
      client.nodes().withName(host.name).delete();
      client.nodes().resource(newNode(host)).create();
      writeNodeStatus(host);
    }
    podInformer = client.pods().inAnyNamespace().inform(handler(this::onPod, this::onPodDeleted));
    informers.add(podInformer);
    informers.add(
        nodes()
            .inform(
                handler(
                    node -> {
                      history.node(node, false);
                      requestSync();
                    },
                    node -> history.node(node, true))));
    informers.add(
        client
            .policy()
            .v1beta1()
            .podDisruptionBudget()
            .inAnyNamespace()
            .inform(handler(pdb -> requestSync(), pdb -> requestSync())));
    informers.add(
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(jobNamespace)
            .withLabel(MANAGED_BY_LABEL, MANAGED_BY)
            .inform(handler(this::onJob, job -> {})));
    long heartbeat = settings.heartbeatInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        guarded("heartbeat", this::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::requestSync, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ public API: set-up

  /** The simulated nodes' names, in order. */
  public List<String> nodeNames() {
    return List.copyOf(hosts.keySet());
  }

  public Settings settings() {
    return settings;
  }

  /**
   * A workload the operator must drain politely: a PodDisruptionBudget (policy/v1beta1, selector
   * {@code app=<name>}), an (inert) ReplicaSet owning the pods, and {@code replicas} pods spread
   * round-robin over the schedulable nodes. Returns when every pod is Running and Ready and the
   * budget's status is current; from then on the fewest Ready pods is recorded and a pod that goes
   * away is replaced.
   */
  public void workload(String namespace, String name, int replicas, int minAvailable) {
    WorkloadKey key = new WorkloadKey(namespace, name);
    if (workloads.containsKey(key)) {
      throw new IllegalArgumentException("workload " + key + " exists");
    }
    client
        .policy()
        .v1beta1()
        .podDisruptionBudget()
        .inNamespace(namespace)
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(minAvailable))
                .withNewSelector()
                .withMatchLabels(Map.of(APP_LABEL, name))
                .endSelector()
                .endSpec()
                .build())
        .create();
    ReplicaSet replicaSet =
        client
            .apps()
            .replicaSets()
            .inNamespace(namespace)
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(Map.of(APP_LABEL, name))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .withMatchLabels(Map.of(APP_LABEL, name))
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .withLabels(Map.of(APP_LABEL, name))
                    .endMetadata()
                    .withSpec(podSpec(null))
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    Workload workload = new Workload(key, replicas, ownerOf(replicaSet));
    workloads.put(key, workload);
    onScheduler(
        () -> {
          List<String> schedulable = schedulableNodes();
          if (schedulable.isEmpty()) {
            throw new IllegalStateException("no schedulable node for workload " + key);
          }
          for (int i = 0; i < replicas; i++) {
            String node =
                schedulable.get(Math.floorMod(roundRobin.getAndIncrement(), schedulable.size()));
            markRunning(createPod(namespace, name, node, workload.owner));
          }
          syncDisruptionBudgets();
          return null;
        });
    await(workload.allReady, "the pods of " + key + " to be Ready");
  }

  /**
   * One pod per node owned by a DaemonSet (an inert object of that name): the operator must leave
   * them alone. Returns when they run.
   */
  public void daemonSet(String namespace, String name) {
    DaemonSet daemonSet =
        client
            .apps()
            .daemonSets()
            .inNamespace(namespace)
            .resource(
                new DaemonSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .withMatchLabels(Map.of(APP_LABEL, name))
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .withLabels(Map.of(APP_LABEL, name))
                    .endMetadata()
                    .withSpec(podSpec(null))
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    OwnerReference owner = ownerOf(daemonSet);
    onScheduler(
        () -> {
          for (Host host : hosts.values()) {
            markRunning(createPod(namespace, name, host.name, owner));
          }
          return null;
        });
  }

  /** Deletes the simulated Nodes (they are cluster-scoped: tests sharing the server see them). */
  public void deleteNodes() {
    for (String name : hosts.keySet()) {
      client.nodes().withName(name).delete();
    }
  }

  // ------------------------------------------------------------------ public API: history

  /** The most nodes ever in Cordoned, Drained, Patching, Rebooting or Verifying at once. */
  public int maxInFlight() {
    return history.maxInFlight();
  }

  /**
   * The most nodes ever unschedulable at once, not counting Failed ones (nodes created {@link
   * Settings#cordoned()} count too).
   */
  public int maxCordoned() {
    return history.maxCordoned();
  }

  /** The fewest Ready, non-terminating pods the workload ever had after it first became Ready. */
  public int minReady(String namespace, String workload) {
    return history.minReady(new WorkloadKey(namespace, workload));
  }

  /** How many patch Jobs were ever created for the node. */
  public int patchJobs(String node) {
    return (int)
        jobs().stream().filter(j -> j.kind() == JobKind.Patch && j.node().equals(node)).count();
  }

  /** How many reboot Jobs were ever created for the node. */
  public int rebootJobs(String node) {
    return (int)
        jobs().stream().filter(j -> j.kind() == JobKind.Reboot && j.node().equals(node)).count();
  }

  /** How many times the node went down for a reboot. */
  public int reboots(String node) {
    return history.reboots(node);
  }

  /** Every Patchwarden Job seen, in order. */
  public List<SimJob> jobs() {
    return history.jobs();
  }

  /**
   * The node's {@code patchwarden.io/state} values as they changed (no repeats, absent skipped).
   */
  public List<NodeState> states(String node) {
    return history.states(node);
  }

  /** The kernel installed by a patch and waiting for a reboot, if any. */
  public Optional<String> pendingKernel(String node) {
    return Optional.ofNullable(host(node).pendingKernel);
  }

  // ------------------------------------------------------------------ nodes (kubelet)

  private Node newNode(Host host) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", host.name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.putAll(settings.labels());
    labels.putAll(settings.nodeLabels().getOrDefault(host.name, Map.of()));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(host.name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(settings.cordoned().contains(host.name) ? Boolean.TRUE : null)
        .endSpec()
        .build();
  }

  private NodeStatus nodeStatus(Host host) {
    String now = timestamp(now());
    String since = timestamp(host.readySince);
    List<NodeCondition> conditions = new ArrayList<>();
    for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
      conditions.add(
          new NodeConditionBuilder()
              .withType(pressure)
              .withStatus(host.up ? "False" : "Unknown")
              .withReason(host.up ? "KubeletHasNo" + pressure : "NodeStatusUnknown")
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(since)
              .build());
    }
    conditions.add(
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus(host.up ? "True" : "False")
            .withReason(host.up ? "KubeletReady" : "KubeletNotReady")
            .withMessage(host.up ? "kubelet is posting ready status" : "simulated reboot")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(since)
            .build());
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110"));
    return new NodeStatusBuilder()
        .withCapacity(resources)
        .withAllocatable(resources)
        .withConditions(conditions)
        .addNewAddress()
        .withType("InternalIP")
        .withAddress("10.96.0." + (10 + host.index))
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(host.name)
        .endAddress()
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(10250)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .withNewNodeInfo()
        .withMachineID(machineId(host))
        .withSystemUUID(UUID.nameUUIDFromBytes(host.name.getBytes()).toString())
        .withBootID(host.bootId)
        .withKernelVersion(host.kernel)
        .withOsImage(settings.osImage())
        .withContainerRuntimeVersion("containerd://1.6.20")
        .withKubeletVersion("v1.20.2")
        .withKubeProxyVersion("v1.20.2")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .build();
  }

  /** A merge patch of the status subresource: the simulator is the only writer of node status. */
  private void writeNodeStatus(Host host) {
    Node patch =
        new NodeBuilder()
            .withNewMetadata()
            .withName(host.name)
            .endMetadata()
            .withStatus(nodeStatus(host))
            .build();
    client.nodes().resource(patch).patchStatus();
  }

  private void heartbeat() {
    for (Host host : hosts.values()) {
      if (host.up) {
        writeNodeStatus(host);
      }
    }
  }

  /** The host goes down: the Job's pod dies with it; it comes back with a new bootID. */
  private void reboot(Host host) {
    history.rebooted(host.name);
    host.up = false;
    host.readySince = now();
    writeNodeStatus(host);
    LOG.info("{} reboots", host.name);
    if (settings.neverReady().contains(host.name)) {
      return;
    }
    schedule(
        "boot " + host.name,
        settings.rebootDuration(),
        () -> {
          host.bootId = UUID.randomUUID().toString();
          if (host.pendingKernel != null) {
            host.kernel = host.pendingKernel;
            host.pendingKernel = null;
          }
          host.up = true;
          host.readySince = now();
          writeNodeStatus(host);
          LOG.info("{} is back with kernel {}", host.name, host.kernel);
        });
  }

  // ------------------------------------------------------------------ Jobs (Job controller)

  private void onJob(Job job) {
    String uid = job.getMetadata().getUid();
    Map<String, String> labels =
        Objects.requireNonNullElse(job.getMetadata().getLabels(), Map.of());
    Map<String, String> annotations =
        Objects.requireNonNullElse(job.getMetadata().getAnnotations(), Map.of());
    Optional<JobKind> kind = JobKind.ofLabel(labels.get(JOB_LABEL));
    String node = annotations.get(NODE_ANNOTATION);
    if (kind.isEmpty() || node == null || !hosts.containsKey(node) || !handledJobs.add(uid)) {
      return;
    }
    Map<String, String> env = env(job);
    SimJob seen =
        new SimJob(
            job.getMetadata().getNamespace(),
            job.getMetadata().getName(),
            kind.get(),
            node,
            now(),
            env.get(REBOOT_MODE_ENV),
            env.get(REBOOT_REQUIRED_ENV));
    history.job(seen);
    submit("start job " + seen.name(), () -> startJob(seen, hosts.get(node)));
  }

  private void startJob(SimJob job, Host host) {
    if (!host.up) {
      LOG.warn("{} is down: Job {} stays pending", host.name, job.name());
      return;
    }
    Instant started = now();
    writeJobStatus(job, new JobStatusBuilder().withStartTime(timestamp(started)).withActive(1));
    if (job.kind() == JobKind.Patch) {
      schedule(
          "finish " + job.name(), settings.patchDuration(), () -> finishPatch(job, host, started));
      return;
    }
    boolean reboot =
        "Always".equals(job.rebootMode())
            || "true".equalsIgnoreCase(job.rebootRequired())
            || host.pendingKernel != null;
    if (reboot) {
      reboot(host);
    } else {
      succeed(job, started);
    }
  }

  private void finishPatch(SimJob job, Host host, Instant started) {
    if (settings.failPatch().contains(host.name)) {
      Instant at = now();
      writeJobStatus(
          job,
          new JobStatusBuilder()
              .withStartTime(timestamp(started))
              .withActive(0)
              .withFailed(1)
              .withConditions(
                  new JobConditionBuilder()
                      .withType("Failed")
                      .withStatus("True")
                      .withReason("BackoffLimitExceeded")
                      .withMessage("simulated patch failure")
                      .withLastProbeTime(timestamp(at))
                      .withLastTransitionTime(timestamp(at))
                      .build()));
      return;
    }
    if (settings.kernelWithoutReboot()) {
      host.kernel = settings.newKernelVersion();
      writeNodeStatus(host);
    } else {
      host.pendingKernel = settings.newKernelVersion();
    }
    succeed(job, started);
  }

  private void succeed(SimJob job, Instant started) {
    Instant at = now();
    writeJobStatus(
        job,
        new JobStatusBuilder()
            .withStartTime(timestamp(started))
            .withCompletionTime(timestamp(at))
            .withActive(0)
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Complete")
                    .withStatus("True")
                    .withLastProbeTime(timestamp(at))
                    .withLastTransitionTime(timestamp(at))
                    .build()));
  }

  private void writeJobStatus(SimJob job, JobStatusBuilder status) {
    Job patch =
        new JobBuilder()
            .withNewMetadata()
            .withNamespace(job.namespace())
            .withName(job.name())
            .endMetadata()
            .withStatus(status.build())
            .build();
    try {
      client.batch().v1().jobs().inNamespace(job.namespace()).resource(patch).patchStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.debug("Job {} is gone", job.name());
    }
  }

  private static Map<String, String> env(Job job) {
    Map<String, String> env = new HashMap<>();
    PodSpec spec = job.getSpec().getTemplate().getSpec();
    for (Container container : spec.getContainers()) {
      for (EnvVar var : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
        if (var.getValue() != null) {
          env.put(var.getName(), var.getValue());
        }
      }
    }
    return env;
  }

  // ------------------------------------------------------------------ pods

  private void onPod(Pod pod) {
    history.pod(pod, workloadOf(pod), false);
    if (pod.getMetadata().getDeletionTimestamp() != null && onSimulatedNode(pod)) {
      requestSync();
    }
  }

  private void onPodDeleted(Pod pod) {
    history.pod(pod, workloadOf(pod), true);
    requestSync();
  }

  private Workload workloadOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String app = labels == null ? null : labels.get(APP_LABEL);
    return app == null
        ? null
        : workloads.get(new WorkloadKey(pod.getMetadata().getNamespace(), app));
  }

  private boolean onSimulatedNode(Pod pod) {
    return pod.getSpec().getNodeName() != null && hosts.containsKey(pod.getSpec().getNodeName());
  }

  private static PodSpec podSpec(String node) {
    return new PodSpecBuilder()
        .withNodeName(node)
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer()
        .withName("app")
        .withImage(PAUSE_IMAGE)
        .endContainer()
        .build();
  }

  private Pod createPod(String namespace, String app, String node, OwnerReference owner) {
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(app + "-" + suffix())
                .withLabels(Map.of(APP_LABEL, app))
                .withOwnerReferences(owner)
                .endMetadata()
                .withSpec(podSpec(node))
                .build())
        .create();
  }

  private void markRunning(Pod pod) {
    String now = timestamp(now());
    Pod patch =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .endMetadata()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Running")
                    .withStartTime(now)
                    .addNewCondition()
                    .withType("Initialized")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .endCondition()
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .endCondition()
                    .addNewCondition()
                    .withType("ContainersReady")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .endCondition()
                    .addNewCondition()
                    .withType("PodScheduled")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .endCondition()
                    .addNewContainerStatus()
                    .withName("app")
                    .withImage(PAUSE_IMAGE)
                    .withImageID("")
                    .withReady(true)
                    .withStarted(true)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(now)
                    .endRunning()
                    .endState()
                    .endContainerStatus()
                    .build())
            .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(patch).patchStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.debug("pod {} went away before it started", pod.getMetadata().getName());
    }
  }

  // ------------------------------------------------------------------ controllers

  /** Coalesces triggers into one pass of the simulated controllers on the scheduler thread. */
  private void requestSync() {
    if (syncQueued.compareAndSet(false, true)) {
      submit(
          "sync",
          () -> {
            syncQueued.set(false);
            removeTerminatingPods();
            replaceMissingPods();
            syncDisruptionBudgets();
          });
    }
  }

  /** Kubelet: a terminating pod on a simulated node is gone at once (no grace period to wait). */
  private void removeTerminatingPods() {
    for (Pod pod : podInformer.getStore().list()) {
      if (pod.getMetadata().getDeletionTimestamp() != null && onSimulatedNode(pod)) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
      }
    }
  }

  /** ReplicaSet controller: a workload short of pods gets new ones on schedulable nodes. */
  private void replaceMissingPods() {
    List<String> schedulable = null;
    for (Workload workload : workloads.values()) {
      long active =
          client
              .pods()
              .inNamespace(workload.key.namespace())
              .withLabel(APP_LABEL, workload.key.name())
              .list()
              .getItems()
              .stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
              .count();
      for (long missing = workload.replicas - active; missing > 0; missing--) {
        if (schedulable == null) {
          schedulable = schedulableNodes();
        }
        if (schedulable.isEmpty()) {
          LOG.debug("no schedulable node for {}: retrying", workload.key);
          return;
        }
        String node =
            schedulable.get(Math.floorMod(roundRobin.getAndIncrement(), schedulable.size()));
        Pod pod = createPod(workload.key.namespace(), workload.key.name(), node, workload.owner);
        LOG.debug("replacement {} on {}", pod.getMetadata().getName(), node);
        schedule(
            "start " + pod.getMetadata().getName(),
            settings.podStartDelay(),
            () -> markRunning(pod));
      }
    }
  }

  /** Read from the API server, not the cache: a cordon must be seen before the next placement. */
  private List<String> schedulableNodes() {
    return nodes().list().getItems().stream()
        .filter(n -> hosts.containsKey(n.getMetadata().getName()))
        .filter(n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
        .filter(NodeSimulator::ready)
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  /**
   * Disruption controller, for every PDB. Status is written with the resourceVersion read: the
   * eviction handler writes it too (it takes a disruption and records the pod in disruptedPods),
   * and overwriting that would let a second eviction through.
   */
  private void syncDisruptionBudgets() {
    for (PodDisruptionBudget pdb :
        client.policy().v1beta1().podDisruptionBudget().inAnyNamespace().list().getItems()) {
      PodDisruptionBudget current = pdb;
      for (int attempt = 1; current != null; attempt++) {
        try {
          syncDisruptionBudget(current);
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            break; // deleted meanwhile
          }
          if (e.getCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
            throw e;
          }
          current =
              client
                  .policy()
                  .v1beta1()
                  .podDisruptionBudget()
                  .inNamespace(pdb.getMetadata().getNamespace())
                  .withName(pdb.getMetadata().getName())
                  .get();
        }
      }
    }
  }

  private void syncDisruptionBudget(PodDisruptionBudget pdb) {
    String namespace = pdb.getMetadata().getNamespace();
    List<Pod> pods = selectedPods(namespace, pdb.getSpec().getSelector());
    Instant now = now();
    Map<String, Pod> byName =
        pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
    PodDisruptionBudgetStatus old =
        Objects.requireNonNullElseGet(pdb.getStatus(), PodDisruptionBudgetStatus::new);
    Map<String, String> disrupted = new LinkedHashMap<>();
    Objects.requireNonNullElse(old.getDisruptedPods(), Map.<String, String>of())
        .forEach(
            (pod, at) -> {
              Pod current = byName.get(pod);
              boolean keep =
                  current != null
                      && current.getMetadata().getDeletionTimestamp() == null
                      && Instant.parse(at).plus(DISRUPTED_POD_TIMEOUT).isAfter(now);
              if (keep) {
                disrupted.put(pod, at);
              }
            });
    int expected = pods.size();
    int healthy =
        (int)
            pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> !disrupted.containsKey(p.getMetadata().getName()))
                .filter(NodeSimulator::ready)
                .count();
    int desired = desiredHealthy(pdb, expected);
    PodDisruptionBudgetStatus status =
        new PodDisruptionBudgetStatusBuilder()
            .withObservedGeneration(pdb.getMetadata().getGeneration())
            .withExpectedPods(expected)
            .withCurrentHealthy(healthy)
            .withDesiredHealthy(desired)
            .withDisruptionsAllowed(Math.max(0, healthy - desired))
            .withDisruptedPods(disrupted.isEmpty() ? null : disrupted)
            .build();
    if (sameStatus(status, old)) {
      return;
    }
    pdb.setStatus(status);
    client
        .policy()
        .v1beta1()
        .podDisruptionBudget()
        .inNamespace(namespace)
        .resource(pdb)
        .updateStatus();
  }

  /** Field by field: an absent map or list reads back as an empty one. */
  private static boolean sameStatus(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
        && Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
        && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
        && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed())
        && Objects.requireNonNullElse(a.getDisruptedPods(), Map.of())
            .equals(Objects.requireNonNullElse(b.getDisruptedPods(), Map.of()));
  }

  private List<Pod> selectedPods(String namespace, LabelSelector selector) {
    boolean empty =
        selector == null
            || (isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()));
    if (empty) {
      return List.of(); // policy/v1beta1: an empty selector selects nothing
    }
    return client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
  }

  private static int desiredHealthy(PodDisruptionBudget pdb, int expected) {
    IntOrString minAvailable = pdb.getSpec().getMinAvailable();
    IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
    if (minAvailable != null) {
      return minAvailable.getIntVal() != null
          ? minAvailable.getIntVal()
          : (int) Math.ceil(percent(minAvailable) * expected / 100.0);
    }
    if (maxUnavailable != null) {
      int unavailable =
          maxUnavailable.getIntVal() != null
              ? maxUnavailable.getIntVal()
              : (int) Math.ceil(percent(maxUnavailable) * expected / 100.0);
      return Math.max(0, expected - unavailable);
    }
    return 0;
  }

  private static int percent(IntOrString value) {
    return Integer.parseInt(value.getStrVal().replace("%", "").trim());
  }

  // ------------------------------------------------------------------ history

  /** What the watches showed. Every method synchronized: informer threads write, tests read. */
  private final class History {
    private final Map<String, NodeState> state = new HashMap<>();
    private final Map<String, Boolean> unschedulable = new HashMap<>();
    private final Map<String, List<NodeState>> states = new HashMap<>();
    private final Map<String, Integer> reboots = new HashMap<>();
    private final List<SimJob> jobs = new ArrayList<>();
    private final Map<WorkloadKey, Set<String>> readyPods = new HashMap<>();
    private final Map<WorkloadKey, Integer> minReady = new HashMap<>();
    private int maxInFlight;
    private int maxCordoned;

    synchronized void node(Node node, boolean deleted) {
      String name = node.getMetadata().getName();
      if (!hosts.containsKey(name)) {
        return;
      }
      NodeState now = deleted ? null : stateOf(node);
      state.put(name, now);
      unschedulable.put(name, !deleted && Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
      List<NodeState> seen = states.computeIfAbsent(name, n -> new ArrayList<>());
      if (now != null && (seen.isEmpty() || seen.get(seen.size() - 1) != now)) {
        seen.add(now);
      }
      int inFlight = 0;
      int cordoned = 0;
      for (String host : state.keySet()) {
        NodeState s = state.get(host);
        if (s != null && IN_FLIGHT.contains(s)) {
          inFlight++;
        }
        if (unschedulable.get(host) && s != NodeState.Failed) {
          cordoned++;
        }
      }
      maxInFlight = Math.max(maxInFlight, inFlight);
      maxCordoned = Math.max(maxCordoned, cordoned);
    }

    synchronized void pod(Pod pod, Workload workload, boolean deleted) {
      if (workload == null || !isController(pod, workload.owner)) {
        return;
      }
      Set<String> ready = readyPods.computeIfAbsent(workload.key, k -> new HashSet<>());
      String name = pod.getMetadata().getName();
      if (!deleted && pod.getMetadata().getDeletionTimestamp() == null && ready(pod)) {
        ready.add(name);
      } else {
        ready.remove(name);
      }
      if (minReady.containsKey(workload.key)) {
        minReady.merge(workload.key, ready.size(), Math::min);
      } else if (ready.size() >= workload.replicas) {
        minReady.put(workload.key, ready.size());
        workload.allReady.complete(null);
      }
    }

    synchronized int minReady(WorkloadKey key) {
      Integer min = minReady.get(key);
      if (min == null) {
        throw new IllegalArgumentException("no Ready workload " + key);
      }
      return min;
    }

    synchronized void rebooted(String node) {
      reboots.merge(node, 1, Integer::sum);
    }

    synchronized int reboots(String node) {
      return reboots.getOrDefault(node, 0);
    }

    synchronized void job(SimJob job) {
      jobs.add(job);
    }

    synchronized List<SimJob> jobs() {
      return List.copyOf(jobs);
    }

    synchronized List<NodeState> states(String node) {
      return List.copyOf(states.getOrDefault(node, List.of()));
    }

    synchronized int maxInFlight() {
      return maxInFlight;
    }

    synchronized int maxCordoned() {
      return maxCordoned;
    }
  }

  private static NodeState stateOf(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(NodeAnnotations.STATE);
    if (value == null) {
      return null;
    }
    try {
      return NodeState.valueOf(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isController(Pod pod, OwnerReference owner) {
    return Objects.requireNonNullElse(
            pod.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
        .stream()
        .anyMatch(o -> owner.getUid().equals(o.getUid()));
  }

  // ------------------------------------------------------------------ close

  /** Stops the watches and the simulated controllers; the objects stay. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (SharedIndexInformer<?> informer : informers) {
      informer.close();
    }
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the node simulator's scheduler did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ helpers

  private FilterWatchListDeletable<Node, NodeList, Resource<Node>> nodes() {
    return settings.labels().isEmpty()
        ? client.nodes()
        : client.nodes().withLabels(settings.labels());
  }

  private Host host(String node) {
    Host host = hosts.get(node);
    if (host == null) {
      throw new IllegalArgumentException("not a simulated node: " + node);
    }
    return host;
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static OwnerReference ownerOf(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static String machineId(Host host) {
    return UUID.nameUUIDFromBytes(("machine-" + host.name).getBytes()).toString().replace("-", "");
  }

  private static String suffix() {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return s.toString();
  }

  private static boolean isEmpty(Collection<?> c) {
    return c == null || c.isEmpty();
  }

  private static boolean isEmpty(Map<?, ?> m) {
    return m == null || m.isEmpty();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  private static String timestamp(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upsert.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        upsert.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        delete.accept(obj);
      }
    };
  }

  private Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        if (closed.get()) {
          LOG.debug("{} after close: {}", what, e.toString());
        } else {
          LOG.warn("node simulator: {} failed", what, e);
        }
      }
    };
  }

  private void submit(String what, Runnable task) {
    try {
      scheduler.execute(guarded(what, task));
    } catch (RejectedExecutionException e) {
      LOG.debug("{} after close", what);
    }
  }

  private void schedule(String what, Duration delay, Runnable task) {
    try {
      scheduler.schedule(guarded(what, task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("{} after close", what);
    }
  }

  /** Runs on the scheduler thread (the simulated hosts' only writer) and waits for it. */
  private <T> T onScheduler(Supplier<T> task) {
    return await(CompletableFuture.supplyAsync(task, scheduler), "the node simulator");
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(what, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out waiting for " + what, e);
    }
  }
}
