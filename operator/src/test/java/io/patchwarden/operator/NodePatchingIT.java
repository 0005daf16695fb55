package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.Drain;
import io.patchwarden.api.policy.NodePatchJob;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.NodeTarget;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.PolicyMode;
import io.patchwarden.api.policy.Rollout;
import io.patchwarden.api.run.Baseline;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.run.PatchRunSpec;
import io.patchwarden.api.run.RunPhase;
import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.node.NodeJobSettings;
import io.patchwarden.operator.node.NodeJobs;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.node.Step;
import io.patchwarden.operator.rollout.Rollouts;
import io.patchwarden.operator.support.Timestamps;
import io.patchwarden.operator.testing.NodeSimulator;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Node patching end to end on a real API server, with {@link NodeSimulator} playing kubelet, Job
 * controller, ReplicaSet controller and disruption controller. What happened is asserted from the
 * simulator's recorded history (watches), never from timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(900)
class NodePatchingIT {
  private static final String NS = "node-patching-it";
  private static final String TENANT = "node-patching-tenant";
  private static final String IMAGE = "registry.example/node-patch@sha256:" + "b".repeat(64);
  private static final String NEW_KERNEL = "6.1.0-28-amd64";

  private RealApiServerCluster cluster;
  private PatchwardenOperator operator;
  private final List<NodeSimulator> simulators = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    cluster = new RealApiServerCluster();
    cluster.installCrds();
    cluster.createNamespace(NS);
    cluster.createNamespace(TENANT);
    operator = startOperator();
  }

  private PatchwardenOperator startOperator() throws java.io.IOException {
    // Only this class's namespace: policies other test classes left on the shared API server
    // (the cluster-nodes example selects every node) must not patch these nodes.
    return PatchwardenOperator.start(
        client(),
        OperatorSettings.defaults()
            .withLeaderElection(false)
            .withManagementPort(0)
            .withGateway(GatewaySettings.defaults().withPort(0))
            .withWatchNamespaces(Set.of(NS, TENANT))
            .withNodeJobs(new NodeJobSettings(NS, "patchwarden-node-patch")),
        Clock.systemUTC());
  }

  @AfterEach
  void stopSimulators() {
    simulators.forEach(
        s -> {
          s.close();
          s.deleteNodes();
        });
    simulators.clear();
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  private NodeSimulator simulator(NodeSimulator.Settings.Builder settings) {
    NodeSimulator sim = NodeSimulator.start(client(), NS, settings.build());
    simulators.add(sim);
    return sim;
  }

  @Test
  void twelveNodesTwoAtATimeWithinTheirBudgets() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder()
                .nodes(12)
                .namePrefix("np-a")
                .label("pool", "np-a")
                .cordoned("np-a-12"));
    sim.workload(NS, "web", 3, 2);
    sim.daemonSet(NS, "log-agent");
    group("pool-a", "np-a");
    PatchPolicy policy = policy("nodes-a", "pool-a", 2, null, target(NEW_KERNEL));
    client().resource(policy).create();

    awaitStates(sim.nodeNames(), NodeState.Done, Duration.ofMinutes(6));

    assertThat(sim.maxInFlight()).as("nodes between Cordoned and Done at once").isBetween(1, 2);
    assertThat(sim.minReady(NS, "web"))
        .as("PodDisruptionBudget minAvailable 2")
        .isGreaterThanOrEqualTo(2);
    for (String name : sim.nodeNames()) {
      Node node = client().nodes().withName(name).get();
      assertThat(sim.patchJobs(name)).as("patch Jobs for %s", name).isEqualTo(1);
      assertThat(sim.reboots(name)).as("reboots of %s", name).isEqualTo(1);
      assertThat(node.getStatus().getNodeInfo().getKernelVersion()).isEqualTo(NEW_KERNEL);
      Map<String, String> a = node.getMetadata().getAnnotations();
      assertThat(a)
          .containsEntry(NodeAnnotations.KERNEL_BEFORE, "6.1.0-27-amd64")
          .containsEntry(NodeAnnotations.KERNEL_AFTER, NEW_KERNEL)
          .containsKey(NodeAnnotations.DURATIONS);
      assertThat(a.get(NodeAnnotations.DURATIONS)).contains("drain=").contains("reboot=");
      boolean adminCordoned = name.equals("np-a-12");
      assertThat(Boolean.TRUE.equals(node.getSpec().getUnschedulable()))
          .as("%s schedulable again unless an admin had cordoned it", name)
          .isEqualTo(adminCordoned);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> phase(onlyRun("nodes-a")) == RunPhase.Succeeded);
    PatchRun run = onlyRun("nodes-a");
    assertThat(run.getStatus().getTotals().getTargets()).isEqualTo(12);
    assertThat(run.getStatus().getTotals().getSucceeded()).isEqualTo(12);
    assertThat(run.getSpec().getNodes().getPatch().getImage()).isEqualTo(IMAGE);
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains(
                        "patchwarden_nodes{namespace=\""
                            + NS
                            + "\",policy=\"nodes-a\",state=\"Done\"} 12.0")
                    .contains(
                        "patchwarden_node_patch_duration_seconds_count{namespace=\""
                            + NS
                            + "\",phase=\"reboot\",policy=\"nodes-a\"} 12")
                    .contains(
                        "patchwarden_node_oldest_in_flight_seconds{namespace=\""
                            + NS
                            + "\",policy=\"nodes-a\"} 0.0"));
    assertThat(eventReasons("nodes-a")).contains("NodePatched", "RunSucceeded");
  }

  @Test
  void aFailedPatchLeavesTheNodeCordonedAndHaltsTheRun() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder()
                .nodes(3)
                .namePrefix("np-b")
                .label("pool", "np-b")
                .failPatchOn("np-b-01", "np-b-02", "np-b-03"));
    group("pool-b", "np-b");
    PatchPolicy policy = policy("nodes-b", "pool-b", 1, 0, target(NEW_KERNEL));
    client().resource(policy).create();

    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> phase(onlyRun("nodes-b")) == RunPhase.Halted);
    List<Node> failed =
        sim.nodeNames().stream()
            .map(n -> client().nodes().withName(n).get())
            .filter(n -> NodeState.Failed.name().equals(state(n)))
            .toList();
    assertThat(failed).hasSize(1);
    Node node = failed.get(0);
    assertThat(node.getSpec().getUnschedulable()).as("stays cordoned (onFailure default)").isTrue();
    assertThat(node.getMetadata().getAnnotations())
        .containsEntry(NodeAnnotations.REASON, "PatchFailed");
    assertThat(node.getMetadata().getAnnotations().get(NodeAnnotations.MESSAGE))
        .contains("simulated patch failure");
    var failure = onlyRun("nodes-b").getStatus().getFailures().get(0);
    assertThat(failure.getKind()).isEqualTo(TargetKind.Node);
    assertThat(failure.getReason()).isEqualTo("PatchFailed");
    assertThat(failure.getTarget()).isEqualTo(node.getMetadata().getName());
    // Halted: the other nodes were never touched.
    sim.nodeNames().stream()
        .filter(n -> !n.equals(node.getMetadata().getName()))
        .forEach(
            n -> {
              assertThat(state(client().nodes().withName(n).get())).isNull();
              assertThat(sim.patchJobs(n)).isZero();
            });
    assertThat(eventReasons("nodes-b")).contains("NodePatchFailed", "RunHalted");
  }

  /**
   * The operator stopped right after writing each state, before acting on it (and, for the Job
   * states, right after creating the Job): a new operator resumes every node from its annotations,
   * creates no second Job and finishes the run.
   */
  @Test
  void resumesFromEveryStateBoundaryWithoutDuplicates() throws Exception {
    operator.close();
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder().nodes(8).namePrefix("np-c").label("pool", "np-c"));
    group("pool-c", "np-c");
    // Without a target a node is patched once per patch spec: every node ends Done when Ready.
    PatchPolicy policy = client().resource(policy("nodes-c", "pool-c", 8, null, null)).create();
    String run = Rollouts.runName("nodes-c", Instant.now().minusSeconds(60));
    createRun(policy, run);
    String id = NS + "/nodes-c";
    Map<String, NodeState> states = new LinkedHashMap<>();
    states.put("np-c-01", NodeState.Selected);
    states.put("np-c-02", NodeState.Cordoned);
    states.put("np-c-03", NodeState.Drained);
    states.put("np-c-04", NodeState.Patching); // crashed before creating the Job
    states.put("np-c-05", NodeState.Patching); // crashed after creating the Job
    states.put("np-c-06", NodeState.Rebooting); // crashed before creating the reboot Job
    states.put("np-c-07", NodeState.Rebooting); // crashed after creating the reboot Job
    states.put("np-c-08", NodeState.Verifying);
    states.forEach((node, state) -> recordState(node, id, run, state));
    NodeJobs jobs = new NodeJobs(client(), new NodeJobSettings(NS, "patchwarden-node-patch"));
    createJob(jobs, id, run, "np-c-05", Step.JobKind.Patch, policy);
    createJob(jobs, id, run, "np-c-07", Step.JobKind.Reboot, policy);

    operator = startOperator();
    awaitStates(sim.nodeNames(), NodeState.Done, Duration.ofMinutes(3));

    Map<String, Integer> patchJobs = new LinkedHashMap<>();
    Map<String, Integer> rebootJobs = new LinkedHashMap<>();
    for (String n : sim.nodeNames()) {
      patchJobs.put(n, sim.patchJobs(n));
      rebootJobs.put(n, sim.rebootJobs(n));
      Node node = client().nodes().withName(n).get();
      assertThat(node.getSpec().getUnschedulable())
          .as("%s uncordoned", n)
          .isNotEqualTo(Boolean.TRUE);
      assertThat(node.getMetadata().getAnnotations())
          .containsEntry(
              NodeAnnotations.PATCHED_WITH,
              NodePatcher.marker(id, policy.getSpec().getNodes().getPatch()));
    }
    // Nodes recorded past Patching had patched before the "crash": no patch Job now.
    assertThat(patchJobs)
        .containsExactly(
            Map.entry("np-c-01", 1),
            Map.entry("np-c-02", 1),
            Map.entry("np-c-03", 1),
            Map.entry("np-c-04", 1),
            Map.entry("np-c-05", 1),
            Map.entry("np-c-06", 0),
            Map.entry("np-c-07", 0),
            Map.entry("np-c-08", 0));
    assertThat(rebootJobs)
        .containsExactly(
            Map.entry("np-c-01", 1),
            Map.entry("np-c-02", 1),
            Map.entry("np-c-03", 1),
            Map.entry("np-c-04", 1),
            Map.entry("np-c-05", 1),
            Map.entry("np-c-06", 1),
            Map.entry("np-c-07", 1),
            Map.entry("np-c-08", 0));
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                phase(client().resources(PatchRun.class).inNamespace(NS).withName(run).get())
                    == RunPhase.Succeeded);
  }

  /** Killed twice in the middle of a run: it finishes, within maxConcurrent, one Job per node. */
  @Test
  void operatorRestartedMidRunFinishesWithinLimits() throws Exception {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder()
                .nodes(6)
                .namePrefix("np-d")
                .label("pool", "np-d")
                .patchDuration(Duration.ofSeconds(2))
                .rebootDuration(Duration.ofSeconds(2)));
    sim.workload(NS, "api", 2, 1);
    group("pool-d", "np-d");
    client().resource(policy("nodes-d", "pool-d", 2, null, target(NEW_KERNEL))).create();

    awaitAny(sim.nodeNames(), NodeState.Patching);
    operator.close();
    operator = startOperator();
    awaitAny(sim.nodeNames(), NodeState.Rebooting);
    operator.close();
    operator = startOperator();
    awaitStates(sim.nodeNames(), NodeState.Done, Duration.ofMinutes(5));

    assertThat(sim.maxInFlight()).isLessThanOrEqualTo(2);
    assertThat(sim.minReady(NS, "api")).isGreaterThanOrEqualTo(1);
    for (String n : sim.nodeNames()) {
      assertThat(sim.patchJobs(n)).as("patch Jobs for %s", n).isEqualTo(1);
      assertThat(sim.reboots(n)).as("reboots of %s", n).isEqualTo(1);
      assertThat(client().nodes().withName(n).get().getSpec().getUnschedulable())
          .isNotEqualTo(Boolean.TRUE);
    }
  }

  /** A node that leaves the group while it is patched is finished, not abandoned cordoned. */
  @Test
  void aNodeLeavingTheGroupMidPatchIsFinished() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder()
                .nodes(1)
                .namePrefix("np-f")
                .label("pool", "np-f")
                .patchDuration(Duration.ofSeconds(3)));
    group("pool-f", "np-f");
    client().resource(policy("nodes-f", "pool-f", 1, null, target(NEW_KERNEL))).create();
    awaitAny(sim.nodeNames(), NodeState.Patching);

    client()
        .nodes()
        .withName("np-f-01")
        .edit(
            n -> {
              n.getMetadata().getLabels().remove("pool");
              return n;
            });

    awaitStates(sim.nodeNames(), NodeState.Done, Duration.ofMinutes(2));
    Node node = client().nodes().withName("np-f-01").get();
    assertThat(node.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    assertThat(node.getStatus().getNodeInfo().getKernelVersion()).isEqualTo(NEW_KERNEL);
    assertThat(sim.patchJobs("np-f-01")).isEqualTo(1);
  }

  /** A node Job is root on the node: a tenant's policy may not start one. */
  @Test
  void aPolicyOutsideTheNodePolicyNamespacesMayNotPatchNodes() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder().nodes(1).namePrefix("np-t").label("pool", "np-t"));
    EndpointGroup g = new EndpointGroup();
    g.getMetadata().setName("pool-t");
    g.getMetadata().setNamespace(TENANT);
    g.setSpec(new EndpointGroupSpec());
    g.getSpec()
        .setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", "np-t").build());
    client().resource(g).create();
    PatchPolicy p = policy("root-please", "pool-t", 1, null, target(NEW_KERNEL));
    p.getMetadata().setNamespace(TENANT);
    client().resource(p).create();

    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              PatchPolicy current =
                  client()
                      .resources(PatchPolicy.class)
                      .inNamespace(TENANT)
                      .withName("root-please")
                      .get();
              assertThat(current.getStatus()).isNotNull();
              assertThat(current.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getReason()).isEqualTo("NodePatchingNotAllowed");
                        assertThat(c.getMessage()).contains("spec.nodes.patch");
                      });
            });
    assertThat(state(client().nodes().withName("np-t-01").get())).isNull();
    assertThat(sim.patchJobs("np-t-01")).isZero();
    assertThat(client().resources(PatchRun.class).inNamespace(TENANT).list().getItems()).isEmpty();
  }

  /**
   * The 1.20 API server does not enforce the CRD's CEL rules (InvalidManifestsTest evaluates them),
   * so it admits a policy whose patch image is unpinned or from a registry outside
   * allowedRegistries; the operator's own check then stops it: Ready=False InvalidNodePatching
   * naming spec.nodes.patch.image, no run, no cordon, no Job. allowUnpinnedImage is the only way
   * around the digest.
   */
  @Test
  void anUnpinnedOrForeignImageNeverRunsOnANode() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder().nodes(1).namePrefix("np-i").label("pool", "np-i"));
    group("pool-i", "np-i");
    String digest = "@sha256:" + "d".repeat(64);
    Map<String, String> images =
        Map.of(
            "unpinned", "registry.example/node-patch:latest",
            "foreign", "docker.io/attacker/node-patch" + digest,
            "lookalike", "registry.example.attacker.net/node-patch" + digest);
    images.forEach(
        (name, image) -> {
          PatchPolicy p = policy("image-" + name, "pool-i", 1, null, target(NEW_KERNEL));
          p.getSpec().getNodes().getPatch().setImage(image);
          p.getSpec().getNodes().getPatch().setAllowedRegistries(List.of("registry.example"));
          client().resource(p).create();
        });

    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              for (String name : images.keySet()) {
                PatchPolicy current =
                    client()
                        .resources(PatchPolicy.class)
                        .inNamespace(NS)
                        .withName("image-" + name)
                        .get();
                assertThat(current.getStatus()).as(name).isNotNull();
                assertThat(current.getStatus().getConditions())
                    .as(name)
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getReason()).isEqualTo("InvalidNodePatching");
                          assertThat(c.getMessage())
                              .contains("spec.nodes.patch.image", images.get(name));
                        });
              }
            });
    assertThat(state(client().nodes().withName("np-i-01").get())).isNull();
    assertThat(sim.patchJobs("np-i-01")).isZero();
    assertThat(client().resources(PatchRun.class).inNamespace(NS).list().getItems())
        .noneMatch(r -> r.getSpec().getPolicy().startsWith("image-"));
    images
        .keySet()
        .forEach(
            name ->
                client()
                    .resources(PatchPolicy.class)
                    .inNamespace(NS)
                    .withName("image-" + name)
                    .delete());
  }

  /** Deleting the policy hands back nodes that were not patching yet, uncordoned. */
  @Test
  void deletedPolicyReleasesItsNodes() {
    NodeSimulator sim =
        simulator(
            NodeSimulator.Settings.builder().nodes(2).namePrefix("np-e").label("pool", "np-e"));
    // One pod per node, both of which must stay: every eviction is refused, no drain finishes.
    sim.workload(NS, "db", 2, 2);
    group("pool-e", "np-e");
    PatchPolicy policy = policy("nodes-e", "pool-e", 2, null, target(NEW_KERNEL));
    policy.getSpec().getNodes().getDrain().setTimeout("1h");
    client().resource(policy).create();
    awaitStates(sim.nodeNames(), NodeState.Cordoned, Duration.ofMinutes(2));
    sim.nodeNames()
        .forEach(
            n ->
                assertThat(client().nodes().withName(n).get().getSpec().getUnschedulable())
                    .isTrue());

    client().resources(PatchPolicy.class).inNamespace(NS).withName("nodes-e").delete();

    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                client().resources(PatchPolicy.class).inNamespace(NS).withName("nodes-e").get()
                    == null);
    for (String n : sim.nodeNames()) {
      Node node = client().nodes().withName(n).get();
      assertThat(node.getSpec().getUnschedulable())
          .as("%s uncordoned", n)
          .isNotEqualTo(Boolean.TRUE);
      assertThat(state(node)).as("%s state annotation removed", n).isNull();
      assertThat(sim.patchJobs(n)).isZero();
    }
    assertThat(sim.minReady(NS, "db")).isEqualTo(2);
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private void group(String name, String pool) {
    EndpointGroup g = new EndpointGroup();
    g.getMetadata().setName(name);
    g.getMetadata().setNamespace(NS);
    EndpointGroupSpec spec = new EndpointGroupSpec();
    spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", pool).build());
    g.setSpec(spec);
    client().resource(g).create();
  }

  private static NodeTarget target(String kernel) {
    NodeTarget t = new NodeTarget();
    t.setKernelVersion(kernel);
    return t;
  }

  private static PatchPolicy policy(
      String name, String group, int maxConcurrent, Integer haltOnFailures, NodeTarget target) {
    PatchPolicy p = new PatchPolicy();
    p.getMetadata().setName(name);
    p.getMetadata().setNamespace(NS);
    PatchPolicySpec spec = new PatchPolicySpec();
    spec.setMode(PolicyMode.Enforce);
    spec.setGroups(List.of(group));
    Rollout rollout = new Rollout();
    rollout.setMaxConcurrent(new io.fabric8.kubernetes.api.model.IntOrString(maxConcurrent));
    if (haltOnFailures != null) {
      rollout.setHaltOnFailures(new io.fabric8.kubernetes.api.model.IntOrString(haltOnFailures));
    }
    spec.setRollout(rollout);
    NodePatching nodes = new NodePatching();
    nodes.setTarget(target);
    NodePatchJob patch = new NodePatchJob();
    patch.setImage(IMAGE);
    patch.setCommand(List.of("/bin/sh", "-c"));
    patch.setArgs(List.of("chroot /host apt-get -y upgrade"));
    nodes.setPatch(patch);
    Drain drain = new Drain();
    drain.setTimeout("2m");
    nodes.setDrain(drain);
    nodes.setReboot(RebootPolicy.IfRequired);
    nodes.setReadyTimeout("2m");
    spec.setNodes(nodes);
    p.setSpec(spec);
    return p;
  }

  /** A run as the operator would have started it, before the "crash". */
  private void createRun(PatchPolicy policy, String name) {
    PatchRun run = new PatchRun();
    run.getMetadata().setName(name);
    run.getMetadata().setNamespace(NS);
    run.getMetadata().setLabels(Map.of(Rollouts.POLICY_LABEL, policy.getMetadata().getName()));
    PatchRunSpec spec = new PatchRunSpec();
    spec.setPolicy(policy.getMetadata().getName());
    Baseline baseline = new Baseline();
    baseline.setCutoff(Timestamps.format(Instant.now().minusSeconds(60)));
    baseline.setUpdateCount(0);
    spec.setBaseline(baseline);
    spec.setMaxConcurrent(policy.getSpec().getRollout().getMaxConcurrent());
    spec.setNodes(policy.getSpec().getNodes());
    run.setSpec(spec);
    client().resource(run).create();
  }

  /** Writes a node's record as the operator would have, cordoning from Cordoned on. */
  private void recordState(String node, String policyId, String run, NodeState state) {
    Node current = client().nodes().withName(node).get();
    Map<String, String> a = new LinkedHashMap<>();
    a.put(NodeAnnotations.POLICY, policyId);
    a.put(NodeAnnotations.RUN, run);
    a.put(NodeAnnotations.STATE, state.name());
    a.put(NodeAnnotations.SINCE, Timestamps.format(Instant.now()));
    a.put(NodeAnnotations.WAS_UNSCHEDULABLE, "false");
    if (state == NodeState.Rebooting) {
      a.put(NodeAnnotations.BOOT_ID_BEFORE, current.getStatus().getNodeInfo().getBootID());
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("annotations", a));
    if (state != NodeState.Selected) {
      patch.put("spec", Map.of("unschedulable", true));
    }
    client()
        .nodes()
        .withName(node)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  private void createJob(
      NodeJobs jobs, String policyId, String run, String node, Step.JobKind kind, PatchPolicy p) {
    Job job =
        jobs.build(
            policyId,
            run,
            node,
            kind,
            p.getSpec().getNodes().getPatch(),
            Duration.ofMinutes(30),
            RebootPolicy.IfRequired,
            false);
    client().resource(job).create();
  }

  private void awaitStates(List<String> nodes, NodeState state, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, String> states = new LinkedHashMap<>();
              nodes.forEach(n -> states.put(n, state(client().nodes().withName(n).get())));
              assertThat(states.values()).as("node states %s", states).containsOnly(state.name());
            });
  }

  private void awaitAny(List<String> nodes, NodeState state) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                nodes.stream()
                    .anyMatch(n -> state.name().equals(state(client().nodes().withName(n).get()))));
  }

  private String scrape() throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String state(Node node) {
    return node.getMetadata().getAnnotations() == null
        ? null
        : node.getMetadata().getAnnotations().get(NodeAnnotations.STATE);
  }

  private PatchRun onlyRun(String policy) {
    List<PatchRun> runs =
        client()
            .resources(PatchRun.class)
            .inNamespace(NS)
            .withLabel(Rollouts.POLICY_LABEL, policy)
            .list()
            .getItems();
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private static RunPhase phase(PatchRun run) {
    return run == null || run.getStatus() == null ? null : run.getStatus().getPhase();
  }

  private List<String> eventReasons(String policy) {
    return client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> policy.equals(e.getInvolvedObject().getName()))
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }
}
