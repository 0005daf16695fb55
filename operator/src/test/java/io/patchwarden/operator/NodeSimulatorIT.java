package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.operator.testing.Edits;
import io.patchwarden.operator.testing.NodeSimulator;
import io.patchwarden.operator.testing.NodeSimulator.JobKind;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The node simulator's own semantics on a real API server, driven by hand (no operator): it plays
 * kubelet, Job controller, ReplicaSet controller and disruption controller well enough that the API
 * server's eviction handler enforces PodDisruptionBudgets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class NodeSimulatorIT {
  private static final String NS = "node-sim-it";
  private static final String SIM_LABEL = "patchwarden.io/sim";
  private static final String OLD_KERNEL = "6.1.0-27-amd64";
  private static final String NEW_KERNEL = "6.1.0-28-amd64";

  private RealApiServerCluster cluster;

  /**
   * For evictions: Fabric8 retries HTTP 429 with exponential backoff (requestRetryBackoffLimit, 10
   * by default), so a refused eviction would return false only after ~20 s, or true once the budget
   * allows it: this client asks once.
   */
  private KubernetesClient noRetries;

  private NodeSimulator sim;
  private NodeSimulator.Settings settings;

  // 01 and 02 carry the workload; 03 is patched and rebooted; 04's patch fails. 03 and 04 start
  // cordoned so that the workload stays off them.
  private String node1;
  private String node2;
  private String patched;
  private String failing;

  @BeforeAll
  void start() {
    cluster = new RealApiServerCluster();
    cluster.createNamespace(NS);
    Config config = Config.fromKubeconfig(cluster.kubeConfigYaml());
    config.setRequestRetryBackoffLimit(0);
    noRetries = new KubernetesClientBuilder().withConfig(config).build();
    NodeSimulator.Settings.Builder builder =
        NodeSimulator.Settings.builder()
            .nodes(4)
            .namePrefix("node-sim-it")
            .label(SIM_LABEL, "node-sim-it")
            .kernels(OLD_KERNEL, NEW_KERNEL)
            .patchDuration(Duration.ofMillis(300))
            .rebootDuration(Duration.ofSeconds(1))
            .podStartDelay(Duration.ofSeconds(2));
    NodeSimulator.Settings names = builder.build();
    node1 = names.nodeName(1);
    node2 = names.nodeName(2);
    patched = names.nodeName(3);
    failing = names.nodeName(4);
    settings =
        builder
            .nodeLabel(node1, "node-role.kubernetes.io/control-plane", "")
            .cordoned(patched, failing)
            .failPatchOn(failing)
            .build();
    sim = NodeSimulator.start(client(), NS, settings);
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
      sim.close(); // idempotent
      sim.deleteNodes();
    }
    if (noRetries != null) {
      noRetries.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  @Test
  void nodesAreCreatedReadyWithNodeInfo() {
    List<Node> nodes = client().nodes().withLabel(SIM_LABEL, "node-sim-it").list().getItems();
    assertThat(nodes)
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(sim.nodeNames());
    for (Node node : nodes) {
      var info = node.getStatus().getNodeInfo();
      assertThat(info.getOsImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
      assertThat(info.getKubeletVersion()).isEqualTo("v1.20.2");
      assertThat(info.getBootID()).isNotBlank();
      assertThat(info.getMachineID()).isNotBlank();
      assertThat(info.getArchitecture()).isEqualTo("amd64");
      if (!node.getMetadata().getName().equals(patched)) {
        // (03's kernel changes in the reboot test)
        assertThat(info.getKernelVersion()).isEqualTo(OLD_KERNEL);
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client().nodes().withLabel(SIM_LABEL, "node-sim-it").list().getItems())
                    .allSatisfy(
                        n -> {
                          assertThat(ready(n)).isNotNull();
                          assertThat(ready(n).getStatus()).isEqualTo("True");
                          assertThat(ready(n).getLastHeartbeatTime()).isNotBlank();
                        }));
    assertThat(node(node1).getMetadata().getLabels())
        .containsKey("node-role.kubernetes.io/control-plane");
    assertThat(node(failing).getSpec().getUnschedulable()).isTrue();
    assertThat(node(node2).getSpec().getUnschedulable()).isNull();

    sim.daemonSet(NS, "node-exporter");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client()
                            .pods()
                            .inNamespace(NS)
                            .withLabel("app", "node-exporter")
                            .list()
                            .getItems())
                    .hasSize(4)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getMetadata().getOwnerReferences().get(0).getKind())
                              .isEqualTo("DaemonSet");
                          assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                        })
                    .extracting(p -> p.getSpec().getNodeName())
                    .containsExactlyInAnyOrderElementsOf(sim.nodeNames()));
  }

  @Test
  void evictionsRespectTheBudgetThatTheSimulatorKeeps() {
    sim.workload(NS, "web", 3, 2);
    List<Pod> pods = webPods();
    assertThat(pods).hasSize(3).allSatisfy(p -> assertThat(ready(p)).isTrue());
    assertThat(pods)
        .extracting(p -> p.getSpec().getNodeName())
        .as("spread over the schedulable nodes only")
        .containsOnly(node1, node2)
        .contains(node1, node2);
    assertThat(budget().getDisruptionsAllowed()).isEqualTo(1);
    assertThat(budget().getCurrentHealthy()).isEqualTo(3);
    assertThat(budget().getExpectedPods()).isEqualTo(3);
    assertThat(budget().getDesiredHealthy()).isEqualTo(2);

    String first = pods.get(0).getMetadata().getName();
    String second = pods.get(1).getMetadata().getName();
    assertThat(evict(first)).as("first eviction").isTrue();
    assertThat(evict(second)).as("second eviction while one pod is disrupted").isFalse();

    // The kubelet removes the evicted pod; a replacement appears on a schedulable node and becomes
    // Ready after the start delay (2 s). Until then the budget still refuses.
    List<String> originals = pods.stream().map(p -> p.getMetadata().getName()).toList();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<String> now = webPods().stream().map(p -> p.getMetadata().getName()).toList();
              return !now.contains(first) && now.size() == 3;
            });
    Pod replacement =
        webPods().stream()
            .filter(p -> !originals.contains(p.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    assertThat(replacement.getSpec().getNodeName()).isIn(node1, node2);
    if (!ready(replacement)) {
      assertThat(evict(second)).as("eviction while the replacement starts").isFalse();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> webPods().stream().filter(NodeSimulatorIT::ready).count() == 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> evict(second));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                webPods().stream().filter(NodeSimulatorIT::ready).count() == 3
                    && budget().getDisruptionsAllowed() == 1);
    assertThat(sim.minReady(NS, "web")).isEqualTo(2);
    assertThat(budget().getDisruptedPods()).isNullOrEmpty();
  }

  @Test
  void aPatchLeavesAPendingKernelThatTheRebootActivates() {
    String bootBefore = node(patched).getStatus().getNodeInfo().getBootID();

    createJob("patch-" + patched, JobKind.Patch, patched, Map.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> condition("patch-" + patched, "Complete"));
    Job patch = job("patch-" + patched);
    assertThat(patch.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(patch.getStatus().getStartTime()).isNotNull();
    assertThat(patch.getStatus().getCompletionTime()).isNotNull();
    assertThat(node(patched).getStatus().getNodeInfo().getKernelVersion())
        .as("the new kernel runs only after a reboot")
        .isEqualTo(OLD_KERNEL);
    assertThat(sim.pendingKernel(patched)).contains(NEW_KERNEL);

    createJob(
        "reboot-" + patched,
        JobKind.Reboot,
        patched,
        Map.of("REBOOT_MODE", "IfRequired", "REBOOT_REQUIRED", "false"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "False".equals(ready(node(patched)).getStatus()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "True".equals(ready(node(patched)).getStatus())
                    && !bootBefore.equals(node(patched).getStatus().getNodeInfo().getBootID()));
    assertThat(node(patched).getStatus().getNodeInfo().getKernelVersion()).isEqualTo(NEW_KERNEL);
    assertThat(sim.pendingKernel(patched)).isEmpty();
    assertThat(condition("reboot-" + patched, "Complete"))
        .as("the reboot Job's pod died with the host")
        .isFalse();

    // Nothing pending any more: IfRequired does not reboot, the Job completes.
    String bootAfter = node(patched).getStatus().getNodeInfo().getBootID();
    createJob(
        "reboot-again-" + patched,
        JobKind.Reboot,
        patched,
        Map.of("REBOOT_MODE", "IfRequired", "REBOOT_REQUIRED", "false"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> condition("reboot-again-" + patched, "Complete"));
    assertThat(node(patched).getStatus().getNodeInfo().getBootID()).isEqualTo(bootAfter);

    assertThat(sim.patchJobs(patched)).isEqualTo(1);
    assertThat(sim.rebootJobs(patched)).isEqualTo(2);
    assertThat(sim.reboots(patched)).isEqualTo(1);
    assertThat(sim.jobs())
        .filteredOn(j -> j.node().equals(patched) && j.kind() == JobKind.Reboot)
        .extracting(NodeSimulator.SimJob::rebootMode)
        .containsOnly("IfRequired");
  }

  @Test
  void aNodeInTheFailingSetGetsAFailedPatchJob() {
    createJob("patch-" + failing, JobKind.Patch, failing, Map.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> condition("patch-" + failing, "Failed"));
    Job job = job("patch-" + failing);
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    JobCondition failed =
        job.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getMessage()).isEqualTo("simulated patch failure");
    assertThat(sim.pendingKernel(failing)).isEmpty();
    assertThat(node(failing).getStatus().getNodeInfo().getKernelVersion()).isEqualTo(OLD_KERNEL);
    assertThat(sim.patchJobs(failing)).isEqualTo(1);
  }

  @Test
  void theHistoryComesFromTheWatches() {
    // 03 and 04 were created cordoned: an admin's cordon counts too.
    await().atMost(Duration.ofSeconds(10)).until(() -> sim.maxCordoned() >= 2);

    setState(node1, NodeState.Cordoned, true);
    setState(node2, NodeState.Patching, false);
    setState(failing, NodeState.Failed, true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.states(failing).equals(List.of(NodeState.Failed)));
    setState(node1, NodeState.Done, false);
    setState(node2, NodeState.Done, false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.states(node2).equals(List.of(NodeState.Patching, NodeState.Done)));

    assertThat(sim.states(node1)).containsExactly(NodeState.Cordoned, NodeState.Done);
    assertThat(sim.maxInFlight()).as("01 Cordoned while 02 Patching").isEqualTo(2);
    assertThat(sim.maxCordoned()).as("01, 03 and 04 until 04 Failed").isEqualTo(3);
  }

  // ------------------------------------------------------------------ helpers

  private void setState(String node, NodeState state, boolean unschedulable) {
    Edits.retryOnConflict(
        client().nodes().withName(node),
        n -> {
          n.getMetadata().getAnnotations().put(NodeAnnotations.STATE, state.name());
          n.getSpec().setUnschedulable(unschedulable ? Boolean.TRUE : null);
          return n;
        });
  }

  private void createJob(String name, JobKind kind, String node, Map<String, String> env) {
    client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(
                    Map.of(
                        NodeSimulator.MANAGED_BY_LABEL,
                        NodeSimulator.MANAGED_BY,
                        NodeSimulator.JOB_LABEL,
                        kind.label()))
                .withAnnotations(Map.of(NodeSimulator.NODE_ANNOTATION, node))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName(kind.label())
                .withImage("busybox:1.36")
                .withCommand("true")
                .withEnv(
                    env.entrySet().stream()
                        .map(
                            e ->
                                new io.fabric8.kubernetes.api.model.EnvVar(
                                    e.getKey(), e.getValue(), null))
                        .toList())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private Job job(String name) {
    return client().batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private boolean condition(String job, String type) {
    Job current = job(job);
    return current.getStatus() != null
        && current.getStatus().getConditions() != null
        && current.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
  }

  private Node node(String name) {
    return client().nodes().withName(name).get();
  }

  private static NodeCondition ready(Node node) {
    return Optional.ofNullable(node.getStatus().getConditions()).orElse(List.of()).stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElse(null);
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private List<Pod> webPods() {
    return client().pods().inNamespace(NS).withLabel("app", "web").list().getItems();
  }

  private PodDisruptionBudgetStatus budget() {
    return client()
        .policy()
        .v1beta1()
        .podDisruptionBudget()
        .inNamespace(NS)
        .withName("web")
        .get()
        .getStatus();
  }

  private boolean evict(String pod) {
    return noRetries.pods().inNamespace(NS).withName(pod).evict();
  }
}
