package io.patchwarden.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.api.policy.NodePatchJob;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.policy.Targets;
import io.patchwarden.operator.rollout.EventRecorder;
import io.patchwarden.operator.support.Decisions;
import io.patchwarden.operator.support.Durations;
import io.patchwarden.operator.support.JsonPatch;
import io.patchwarden.operator.support.ParallelWrites;
import io.patchwarden.operator.support.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Drives the nodes of a policy's runs through {@link NodeMachine}: reads each node's record from
 * its annotations, asks the machine for the next step and carries it out — writing every state
 * change into the annotations first (with the condition that the node is still where the decision
 * started, so two passes or two operators never both act), then cordoning, evicting, creating the
 * Job. Nodes are driven in parallel; one node's API error does not hold up the others.
 */
public final class NodePatcher {
  /** Steps one node may take in one pass (a full walk is seven transitions). */
  private static final int MAX_STEPS = 12;

  /** After a transition, look again this soon: no event announces our own annotation writes. */
  static final Duration AFTER_TRANSITION = Duration.ofSeconds(1);

  /** After an API error on one node, look again this soon. */
  static final Duration STEP_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Clock clock;
  private final NodeJobs jobs;
  private final Drainer drainer;
  private final EventRecorder events;
  private final MeterRegistry registry;
  private final ParallelWrites pool;

  public NodePatcher(
      KubernetesClient client,
      Clock clock,
      NodeJobs jobs,
      EventRecorder events,
      MeterRegistry registry,
      ParallelWrites pool) {
    this.client = client;
    this.clock = clock;
    this.jobs = jobs;
    this.drainer = new Drainer(client);
    this.events = events;
    this.registry = registry;
    this.pool = pool;
  }

  /** {@code <namespace>/<policy>}: the policy as node annotations name it. */
  public static String policyId(PatchPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  /**
   * What patchwarden.io/patched-with says once a node is patched with this patch spec: the policy
   * and a hash of the spec, so changing the image, command or arguments patches nodes again.
   */
  public static String marker(String policyId, NodePatchJob patch) {
    return policyId + "@" + NodeJobs.hash(Serialization.asJson(patch), 12);
  }

  public String jobNamespace() {
    return jobs.namespace();
  }

  /** Whether policies of this namespace may patch nodes (node Jobs are root on the node). */
  public boolean mayPatchNodes(String policyNamespace) {
    return jobs.mayPatchNodes(policyNamespace);
  }

  /** The node's record, or null. */
  public static NodeRecord record(Node node) {
    return NodeRecord.of(node.getMetadata().getAnnotations());
  }

  /**
   * Admits a node into a run: writes {@code Selected} and clears the previous run's record (not its
   * patched-with), on condition that nobody took the node since the cache saw it.
   *
   * @return the node as written, or null when it changed meanwhile (the next pass decides again)
   */
  public Node select(String policyId, String run, Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    String now = Timestamps.format(clock.instant());
    Map<String, String> fresh = new LinkedHashMap<>();
    fresh.put(NodeAnnotations.POLICY, policyId);
    fresh.put(NodeAnnotations.RUN, run);
    fresh.put(NodeAnnotations.STATE, NodeState.Selected.name());
    fresh.put(NodeAnnotations.SINCE, now);
    fresh.put(NodeAnnotations.STARTED, now);
    NodeRecord previous = record(node);
    if (previous != null
        && previous.state() == NodeState.Failed
        && "true".equals(annotations.get(NodeAnnotations.LEFT_CORDONED))
        && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      fresh.put(NodeAnnotations.CORDON_INHERITED, "true");
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(JsonPatch.test("/metadata/resourceVersion", node.getMetadata().getResourceVersion()));
    if (annotations == null || annotations.isEmpty()) {
      // The model shows a missing map as empty; the resourceVersion test covers a race.
      ops.add(JsonPatch.add("/metadata/annotations", fresh));
    } else {
      annotations.keySet().stream()
          .filter(k -> k.startsWith(NodeAnnotations.PREFIX))
          .filter(k -> !k.equals(NodeAnnotations.PATCHED_WITH))
          .forEach(k -> ops.add(JsonPatch.remove(JsonPatch.annotation(k))));
      fresh.forEach((k, v) -> ops.add(JsonPatch.add(JsonPatch.annotation(k), v)));
    }
    Node written = patch(node, ops);
    if (written != null) {
      Decisions.log(
          "NodeSelected",
          namespaceOf(policyId),
          policyOf(policyId),
          run,
          name(node),
          "Node " + name(node) + " selected for run " + run + " of policy " + policyId);
    }
    return written;
  }

  /**
   * What a drive did.
   *
   * @param next when to look again at the latest (a timeout, a retry), or null when no node is in
   *     flight
   * @param nodes every node driven, by name, as last written (or as given, when unchanged)
   */
  public record Driven(Instant next, Map<String, Node> nodes) {
    public static final Driven NOTHING = new Driven(null, Map.of());
  }

  private record One(Node node, Instant next) {}

  /**
   * Moves every node of the policy that is in a run (any of its runs: a cancelled run's nodes are
   * finished too) as far as it can go now.
   *
   * @param nodes the nodes whose record names this policy
   * @param runs the policy's runs by name (their spec.nodes says how to patch)
   * @param cachedJob a Job by name from the cache, or null
   */
  public Driven drive(
      PatchPolicy policy,
      Collection<Node> nodes,
      Function<String, PatchRun> runs,
      Function<String, Job> cachedJob) {
    String policyId = policyId(policy);
    List<Callable<Boolean>> work = new ArrayList<>();
    ConcurrentLinkedQueue<Instant> next = new ConcurrentLinkedQueue<>();
    Map<String, Node> latest = new ConcurrentHashMap<>();
    for (Node node : nodes) {
      latest.put(name(node), node);
      NodeRecord record = record(node);
      if (record == null || !record.policy().equals(policyId) || record.state().finished()) {
        continue;
      }
      NodePatching spec = spec(runs.apply(record.run()), policy);
      work.add(
          () -> {
            One one = driveOne(policy, policyId, spec, node, record, cachedJob);
            latest.put(name(one.node()), one.node());
            if (one.next() != null) {
              next.add(one.next());
            }
            return true;
          });
    }
    ParallelWrites.Result result = pool.run(work);
    if (!result.failures().isEmpty()) {
      Exception first = result.failures().get(0);
      throw first instanceof RuntimeException r ? r : new IllegalStateException(first);
    }
    return new Driven(next.stream().min(Instant::compareTo).orElse(null), Map.copyOf(latest));
  }

  /** The run's spec.nodes (what it was started with), else the policy's. */
  private static NodePatching spec(PatchRun run, PatchPolicy policy) {
    if (run != null && run.getSpec() != null && run.getSpec().getNodes() != null) {
      return run.getSpec().getNodes();
    }
    return policy.getSpec().getNodes();
  }

  private One driveOne(
      PatchPolicy policy,
      String policyId,
      NodePatching spec,
      Node node,
      NodeRecord record,
      Function<String, Job> cachedJob) {
    if (spec == null || spec.getPatch() == null) {
      // Nothing says how to patch any more (the run gone and spec.nodes removed): a node not yet
      // patching is handed back; one past that point fails rather than wait forever.
      if (!release(policy, node, record, "spec.nodes.patch is no longer set")) {
        Step.Transition failed =
            new Step.Transition(
                NodeState.Failed,
                Map.of(),
                null,
                NodeFailure.PatchFailed,
                "neither its run nor the policy has spec.nodes.patch any more",
                null,
                null);
        Node written = transition(policy, node, record, failed, clock.instant());
        return new One(written == null ? node : written, clock.instant().plus(AFTER_TRANSITION));
      }
      return new One(node, null);
    }
    try {
      return steps(policy, policyId, spec, node, record, cachedJob);
    } catch (KubernetesClientException e) {
      // One node's API error must not hold up the others or the policy's pass: retried soon.
      Decisions.log(
          "NodeStepFailed",
          policy.getMetadata().getNamespace(),
          policy.getMetadata().getName(),
          record.run(),
          name(node),
          "Node " + name(node) + ": " + e.getCode() + " " + e.getMessage());
      return new One(node, clock.instant().plus(STEP_RETRY));
    }
  }

  private One steps(
      PatchPolicy policy,
      String policyId,
      NodePatching spec,
      Node node,
      NodeRecord record,
      Function<String, Job> cachedJob) {
    NodeRules rules = NodeRules.from(spec, marker(policyId, spec.getPatch()));
    DrainView drain = null;
    JobView created = null;
    boolean moved = false;
    for (int i = 0; i < MAX_STEPS; i++) {
      Instant now = clock.instant();
      JobView job = created != null ? created : job(record, name(node), cachedJob);
      Step step = NodeMachine.next(rules, record, view(node), drain, job, now);
      if (step instanceof Step.Transition t) {
        Node written = transition(policy, node, record, t, now);
        if (written == null) {
          return new One(node, now.plus(AFTER_TRANSITION)); // changed meanwhile: look again
        }
        node = written;
        record = record(node);
        drain = null;
        created = null;
        moved = true;
      } else if (step instanceof Step.Evict) {
        drain = drainer.evict(name(node), spec.getDrain());
      } else if (step instanceof Step.ForceDelete) {
        drainer.forceDelete(name(node), spec.getDrain());
        drainTimedOut(policy);
        events.record(
            node,
            NodeEvent.NodeDrainTimeout,
            "Drain timed out; remaining pods deleted without eviction (onTimeout: Force).");
        drain = DrainView.EMPTY;
      } else if (step instanceof Step.CreateJob c) {
        createJob(policyId, record, node, c.kind(), spec, rules);
        created = JobView.RUNNING;
      } else if (step instanceof Step.Wait w) {
        return new One(
            node, moved ? Timestamps.earlier(w.until(), now.plus(AFTER_TRANSITION)) : w.until());
      } else {
        return new One(node, moved ? now.plus(AFTER_TRANSITION) : null); // finished
      }
    }
    return new One(node, clock.instant().plus(AFTER_TRANSITION));
  }

  private JobView job(NodeRecord record, String node, Function<String, Job> cachedJob) {
    Step.JobKind kind =
        switch (record.state()) {
          case Patching -> Step.JobKind.Patch;
          case Rebooting -> Step.JobKind.Reboot;
          default -> null;
        };
    if (kind == null) {
      return JobView.MISSING;
    }
    return jobs.view(
        cachedJob.apply(NodeJobs.name(record.policy(), record.run(), node, kind)), kind);
  }

  private void createJob(
      String policyId,
      NodeRecord record,
      Node node,
      Step.JobKind kind,
      NodePatching spec,
      NodeRules rules) {
    Job job =
        jobs.build(
            policyId,
            record.run(),
            name(node),
            kind,
            spec.getPatch(),
            kind == Step.JobKind.Patch ? rules.patchTimeout() : rules.readyTimeout(),
            rules.reboot(),
            record.rebootRequested());
    jobs.create(job);
    events.record(
        node,
        kind == Step.JobKind.Patch ? NodeEvent.PatchJobCreated : NodeEvent.NodeRebooting,
        (kind == Step.JobKind.Patch ? "Patch Job " : "Reboot Job ")
            + jobs.namespace()
            + "/"
            + job.getMetadata().getName()
            + " for run "
            + record.run()
            + ".");
  }

  /**
   * Writes a transition: the node's new state, with the condition that it is still in the state and
   * run the decision was made from; cordons or uncordons in the same write.
   *
   * @return the node as written, or null when it changed meanwhile
   */
  private Node transition(
      PatchPolicy policy, Node node, NodeRecord record, Step.Transition t, Instant now) {
    Map<String, String> set = new LinkedHashMap<>(t.record());
    set.put(NodeAnnotations.STATE, t.to().name());
    set.put(NodeAnnotations.SINCE, Timestamps.format(now));
    if (t.phase() != null) {
      set.put(
          NodeAnnotations.DURATIONS,
          NodeRecord.durationsWith(record.durations(), t.phase(), t.phaseTook().toSeconds()));
    }
    if (t.failure() != null) {
      set.put(NodeAnnotations.REASON, t.failure().name());
      set.put(NodeAnnotations.MESSAGE, cut(Objects.toString(t.message(), ""), 1024));
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    if (t.to() == NodeState.Failed) {
      // Whether this failure leaves the cordon in place: only then is it the next run's to lift.
      boolean cordoned =
          t.unschedulable() == null
              ? Boolean.TRUE.equals(node.getSpec().getUnschedulable())
              : t.unschedulable();
      set.put(
          NodeAnnotations.LEFT_CORDONED, Boolean.toString(cordoned && !record.wasUnschedulable()));
    }
    ops.add(JsonPatch.test(JsonPatch.annotation(NodeAnnotations.POLICY), record.policy()));
    ops.add(JsonPatch.test(JsonPatch.annotation(NodeAnnotations.STATE), record.state().name()));
    ops.add(JsonPatch.test(JsonPatch.annotation(NodeAnnotations.RUN), record.run()));
    set.forEach((k, v) -> ops.add(JsonPatch.add(JsonPatch.annotation(k), v)));
    if (t.unschedulable() != null) {
      ops.add(JsonPatch.add("/spec/unschedulable", t.unschedulable()));
    }
    Node written = patch(node, ops);
    if (written == null) {
      return null;
    }
    if (t.phase() != null) {
      Timer.builder(MetricNames.NODE_PATCH_DURATION)
          .description(MetricNames.NODE_PATCH_DURATION_HELP)
          .tags(
              MetricNames.NAMESPACE,
              policy.getMetadata().getNamespace(),
              MetricNames.POLICY,
              policy.getMetadata().getName(),
              MetricNames.PHASE,
              t.phase())
          .publishPercentileHistogram()
          // Drains, patches and reboots take minutes: the default buckets end at 30 s.
          .minimumExpectedValue(Duration.ofSeconds(1))
          .maximumExpectedValue(Duration.ofHours(2))
          .register(registry)
          .record(t.phaseTook());
    }
    if (t.failure() == NodeFailure.DrainTimeout) {
      drainTimedOut(policy);
    }
    Decisions.log(
        "Node" + t.to(),
        policy.getMetadata().getNamespace(),
        policy.getMetadata().getName(),
        record.run(),
        name(node),
        "Node "
            + name(node)
            + " "
            + record.state()
            + " -> "
            + t.to()
            + (t.unschedulable() == null ? "" : t.unschedulable() ? " (cordoned)" : " (uncordoned)")
            + (t.failure() == null ? "" : ": " + t.failure() + ": " + t.message()));
    recordEvent(policy, written, record, t);
    return written;
  }

  private void recordEvent(PatchPolicy policy, Node node, NodeRecord before, Step.Transition t) {
    String run = " (run " + before.run() + ")";
    switch (t.to()) {
      case Cordoned ->
          events.record(
              node,
              NodeEvent.NodeCordoned,
              "Cordoned by policy " + before.policy() + run + "; draining.");
      case Drained ->
          events.record(
              node,
              NodeEvent.NodeDrained,
              "Drained in " + Durations.format(t.phaseTook()) + run + ".");
      case Done -> {
        String summary = summary(node) + run + ".";
        events.record(node, NodeEvent.NodePatched, "Patched: " + summary);
        events.record(policy, NodeEvent.NodePatched, "Node " + name(node) + " patched: " + summary);
      }
      case Failed -> {
        String why = t.failure() + ": " + t.message() + run + "; " + cordonNote(node) + ".";
        events.record(node, NodeEvent.NodePatchFailed, why);
        events.record(policy, NodeEvent.NodePatchFailed, "Node " + name(node) + " failed: " + why);
      }
      case Skipped ->
          events.record(node, NodeEvent.NodeSkipped, t.failure() + ": " + t.message() + run);
      default -> {}
    }
  }

  /** Kernel and OS image before → after, and the phase durations. */
  private static String summary(Node node) {
    Map<String, String> a = node.getMetadata().getAnnotations();
    return "kernel "
        + a.get(NodeAnnotations.KERNEL_BEFORE)
        + " -> "
        + a.get(NodeAnnotations.KERNEL_AFTER)
        + ", OS image '"
        + a.get(NodeAnnotations.OS_IMAGE_BEFORE)
        + "' -> '"
        + a.get(NodeAnnotations.OS_IMAGE_AFTER)
        + "', seconds per phase "
        + a.get(NodeAnnotations.DURATIONS)
        + ("true".equals(a.get(NodeAnnotations.WAS_UNSCHEDULABLE))
            ? "; left cordoned: it was cordoned before"
            : "; uncordoned");
  }

  private static String cordonNote(Node node) {
    return Boolean.TRUE.equals(node.getSpec().getUnschedulable())
        ? "the node stays cordoned"
        : "the node is schedulable";
  }

  /**
   * A deleted policy (or one that no longer says how to patch) hands its nodes back: those not yet
   * patching are uncordoned (unless an admin had cordoned them) and their record removed. Nodes
   * whose patch Job started are finished instead — interrupting a package manager is worse.
   *
   * @return true when the node was released, false when it is still patching
   */
  public boolean release(PatchPolicy policy, Node node, NodeRecord record, String why) {
    if (record.state().finished()) {
      return true;
    }
    if (record.state().ordinal() >= NodeState.Patching.ordinal()) {
      return false;
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(JsonPatch.test(JsonPatch.annotation(NodeAnnotations.STATE), record.state().name()));
    ops.add(JsonPatch.test(JsonPatch.annotation(NodeAnnotations.RUN), record.run()));
    node.getMetadata().getAnnotations().keySet().stream()
        .filter(k -> k.startsWith(NodeAnnotations.PREFIX))
        .filter(k -> !k.equals(NodeAnnotations.PATCHED_WITH))
        .forEach(k -> ops.add(JsonPatch.remove(JsonPatch.annotation(k))));
    if (record.state() != NodeState.Selected && !record.wasUnschedulable()) {
      ops.add(JsonPatch.add("/spec/unschedulable", false));
    }
    Node written = patch(node, ops);
    if (written == null) {
      return false;
    }
    Decisions.log(
        "NodeReleased",
        namespaceOf(record.policy()),
        policyOf(record.policy()),
        record.run(),
        name(node),
        "Node " + name(node) + " released by policy " + record.policy() + ": " + why);
    events.record(
        written,
        NodeEvent.NodeReleased,
        "Released by policy " + record.policy() + " before patching: " + why + ".");
    return true;
  }

  /**
   * Finishes what a deleted policy started: releases nodes that were not patching yet and drives
   * the others to the end.
   *
   * @return true when none of its nodes is in flight any more
   */
  public boolean finishForDeletedPolicy(
      PatchPolicy policy,
      Collection<Node> nodes,
      Function<String, PatchRun> runs,
      Function<String, Job> cachedJob) {
    String policyId = policyId(policy);
    List<Node> patching = new ArrayList<>();
    boolean done = true;
    for (Node node : nodes) {
      NodeRecord record = record(node);
      if (record == null || !record.policy().equals(policyId) || record.state().finished()) {
        continue;
      }
      if (!release(policy, node, record, "the policy was deleted")) {
        patching.add(node);
        done = false;
      }
    }
    if (!patching.isEmpty()) {
      drive(policy, patching, runs, cachedJob);
    }
    return done;
  }

  private void drainTimedOut(PatchPolicy policy) {
    registry
        .counter(
            MetricNames.NODE_DRAIN_TIMEOUTS,
            MetricNames.NAMESPACE,
            policy.getMetadata().getNamespace(),
            MetricNames.POLICY,
            policy.getMetadata().getName())
        .increment();
  }

  private Node patch(Node node, List<Map<String, Object>> ops) {
    try {
      return client
          .nodes()
          .withName(name(node))
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    } catch (KubernetesClientException e) {
      // 422: a test op failed (the node moved on); 409: changed meanwhile; 404: node deleted.
      if (e.getCode() == 422 || e.getCode() == 409 || e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** What the node says now. */
  static NodeView view(Node node) {
    NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
    return new NodeView(
        ready(node),
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()),
        info == null ? null : info.getBootID(),
        Targets.node(node, Duration.ZERO));
  }

  static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static String name(Node node) {
    return node.getMetadata().getName();
  }

  private static String namespaceOf(String policyId) {
    return policyId.substring(0, Math.max(0, policyId.indexOf('/')));
  }

  private static String policyOf(String policyId) {
    return policyId.substring(policyId.indexOf('/') + 1);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
