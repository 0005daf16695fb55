package io.patchwarden.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.bench.BenchResult;
import io.patchwarden.operator.gateway.GatewaySettings;
import io.patchwarden.operator.testing.NodeSimulator;
import io.patchwarden.operator.testing.RealApiServerCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;

/**
 * Node rollout over N simulated nodes with {@code maxConcurrent: 10%}: how long each node takes
 * from Selected to Done beyond the simulated patch Job and reboot, i.e. what orchestration (cordon,
 * drain, Job creation, waiting for Ready, verify, uncordon, the policy's passes) costs. Timestamps
 * come from a node watch in this process. {@code make bench} (NODES, default 100).
 */
public final class NodeRolloutBenchmark {
  private static final String NS = "node-bench";
  private static final Duration PATCH = Duration.ofSeconds(2);
  private static final Duration REBOOT = Duration.ofSeconds(3);

  private NodeRolloutBenchmark() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 100);
    System.exit(0); // the shared API server's shutdown hook stops etcd and kube-apiserver
  }

  /** Runs the scenario once on the shared real API server and records its figures. */
  public static List<BenchResult> run(int n) throws Exception {
    try (RealApiServerCluster cluster = new RealApiServerCluster()) {
      cluster.installCrds();
      cluster.createNamespace(NS);
      KubernetesClient client = cluster.client();
      Map<String, Long> selected = new ConcurrentHashMap<>();
      Map<String, Long> done = new ConcurrentHashMap<>();
      SharedIndexInformer<Node> watch =
          client
              .nodes()
              .withLabel("pool", "node-bench")
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Node node) {
                      onUpdate(null, node);
                    }

                    @Override
                    public void onUpdate(Node old, Node node) {
                      String state = state(node);
                      long now = System.nanoTime();
                      if (state != null) {
                        selected.putIfAbsent(node.getMetadata().getName(), now);
                      }
                      if ("Done".equals(state)) {
                        done.putIfAbsent(node.getMetadata().getName(), now);
                      }
                    }

                    @Override
                    public void onDelete(Node node, boolean unknown) {}
                  });
      try (NodeSimulator sim =
              NodeSimulator.start(
                  client,
                  NS,
                  NodeSimulator.Settings.builder()
                      .nodes(n)
                      .namePrefix("nb")
                      .label("pool", "node-bench")
                      .patchDuration(PATCH)
                      .rebootDuration(REBOOT)
                      .build());
          PatchwardenOperator operator =
              PatchwardenOperator.start(
                  client,
                  OperatorSettings.defaults()
                      .withLeaderElection(false)
                      .withManagementPort(0)
                      .withGateway(GatewaySettings.defaults().withPort(0))
                      .withWatchNamespaces(Set.of(NS))
                      .withNodeJobs(new NodeJobSettings(NS, "patchwarden-node-patch")),
                  Clock.systemUTC())) {
        sim.workload(NS, "web", Math.max(2, n / 10), Math.max(1, n / 10 - 2));
        long started = System.nanoTime();
        for (var o :
            client
                .load(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)))
                .items()) {
          o.getMetadata().setNamespace(NS);
          client.resource(o).create();
        }
        Awaitility.await()
            .atMost(Duration.ofMinutes(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> done.size() == n);
        double total = (System.nanoTime() - started) / 1e9;
        List<Double> overheads = new ArrayList<>();
        double simulated = (PATCH.toMillis() + REBOOT.toMillis()) / 1000.0;
        for (String name : done.keySet()) {
          overheads.add((done.get(name) - selected.get(name)) / 1e9 - simulated);
        }
        overheads.sort(Double::compare);
        int concurrent = Math.max(1, n / 10);
        double perNodeOfRun = total * concurrent / n - simulated;
        String size = String.format("%d nodes, maxConcurrent 10%%", n);
        return List.of(
            BenchResult.atMost(
                    "node-rollout",
                    "orchestration overhead per node (median), " + size,
                    overheads.get(overheads.size() / 2),
                    "s",
                    2,
                    String.format(
                        "Selected → Done minus %.0f s simulated patch + reboot; p90 %.1f s, max"
                            + " %.1f s; max in flight %d",
                        simulated,
                        overheads.get(overheads.size() * 9 / 10),
                        overheads.get(overheads.size() - 1),
                        sim.maxInFlight()))
                .record(),
            BenchResult.figure(
                    "node-rollout",
                    "whole run, " + size,
                    total,
                    "s",
                    String.format(
                        "%.1f s per node-slot beyond the simulated %.0f s",
                        perNodeOfRun, simulated))
                .record());
      } finally {
        watch.close();
        client.nodes().withLabel("pool", "node-bench").delete();
      }
    }
  }

  private static String state(Node node) {
    Map<String, String> a = node.getMetadata().getAnnotations();
    return a == null ? null : a.get(NodeAnnotations.STATE);
  }

  private static final String POLICY =
      """
      apiVersion: patchwarden.io/v1alpha1
      kind: EndpointGroup
      metadata: {name: bench-nodes}
      spec:
        nodeSelector:
          matchLabels: {pool: node-bench}
      ---
      apiVersion: patchwarden.io/v1alpha1
      kind: PatchPolicy
      metadata: {name: bench-nodes}
      spec:
        mode: Enforce
        groups: [bench-nodes]
        rollout:
          maxConcurrent: 10%
        nodes:
          target: {kernelVersion: 6.1.0-28-amd64}
          patch:
            image: registry.example/node-patch@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
            command: [/bin/sh, -c]
            args: [chroot /host apt-get -y upgrade]
          drain: {timeout: 2m}
          reboot: IfRequired
          readyTimeout: 2m
      """;
}
