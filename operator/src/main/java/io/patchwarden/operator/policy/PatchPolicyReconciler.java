package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.node.NodeGauges;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.rollout.Rollouts;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.support.Timestamps;
import io.patchwarden.operator.window.MaintenanceWindowValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Evaluates a PatchPolicy over all its targets and reports compliance: on the policy's status, on
 * each targeted ManagedEndpoint ({@code status.compliance}, this policy's entry) and as metrics.
 *
 * <p>Observe → validate → evaluate (pure core) → write. Everything is read from informer caches
 * (groups, windows, endpoints, nodes, catalogue ConfigMaps): no LIST per reconcile. One pass covers
 * every target; passes are rate-limited per policy, so a burst of inventory changes is evaluated in
 * a few passes rather than one per change. Writes happen only where a result changed.
 */
@ControllerConfiguration(name = PatchPolicyReconciler.NAME)
@RateLimited(maxReconciliations = 1, within = 2, unit = TimeUnit.SECONDS)
public class PatchPolicyReconciler implements Reconciler<PatchPolicy>, Cleaner<PatchPolicy> {
  public static final String NAME = "patchpolicy";

  /** Re-evaluate at least this often, whatever happens: cheap, and writes only on change. */
  static final Duration EVALUATE_AT_LEAST_EVERY = Duration.ofMinutes(5);

  /** While a run is in progress, pass at least this often (assignments expire, soaks end). */
  static final Duration RUN_PASS_AT_LEAST_EVERY = Duration.ofSeconds(30);

  /** A deleted policy with nodes still patching looks at them again this soon. */
  static final Duration NODE_RELEASE_RETRY = Duration.ofSeconds(2);

  private final StatusWriter statusWriter;
  private final Clock clock;
  private final PolicyGauges gauges;
  private final ComplianceWriter writer;
  private final MeterRegistry registry;
  private final Rollouts rollouts;
  private final NodePatcher nodePatcher;
  private final NodeGauges nodeGauges;
  private final Targets targets = new Targets();
  private final KnownExploitedCatalogs catalogs = new KnownExploitedCatalogs();
  // Set once in prepareEventSources, before the controller starts reconciling.
  private volatile PolicyCaches caches;

  public PatchPolicyReconciler(
      StatusWriter statusWriter,
      Clock clock,
      PolicyGauges gauges,
      ComplianceWriter writer,
      MeterRegistry registry,
      Rollouts rollouts,
      NodePatcher nodePatcher,
      NodeGauges nodeGauges) {
    this.nodePatcher = nodePatcher;
    this.nodeGauges = nodeGauges;
    this.statusWriter = statusWriter;
    this.clock = clock;
    this.gauges = gauges;
    this.writer = writer;
    this.registry = registry;
    this.rollouts = rollouts;
  }

  @Override
  public List<EventSource<?, PatchPolicy>> prepareEventSources(
      EventSourceContext<PatchPolicy> context) {
    caches = new PolicyCaches(context, nodePatcher.jobNamespace());
    return caches.eventSources();
  }

  @Override
  public UpdateControl<PatchPolicy> reconcile(PatchPolicy policy, Context<PatchPolicy> context)
      throws ComplianceWriteException {
    Instant now = clock.instant();
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    PatchPolicySpec spec = policy.getSpec();
    Map<String, EndpointGroup> groups = byName(context.getSecondaryResources(EndpointGroup.class));
    Set<String> windows = names(context.getSecondaryResources(MaintenanceWindow.class));
    List<SpecProblem> problems =
        new ArrayList<>(PatchPolicyValidator.validate(spec, groups.keySet(), windows));
    if (spec.getNodes() != null
        && spec.getNodes().getPatch() != null
        && !nodePatcher.mayPatchNodes(namespace)) {
      problems.add(
          new SpecProblem(
              Reason.NodePatchingNotAllowed,
              "spec.nodes.patch",
              "policies in namespace "
                  + namespace
                  + " may not patch nodes (a node Job is root on the node); the operator allows it"
                  + " for policies in the namespaces of PATCHWARDEN_NODE_POLICY_NAMESPACES"));
    }

    long generation = policy.getMetadata().getGeneration();
    PatchPolicyStatus previous = policy.getStatus();
    var conditions =
        new StatusAggregator(previous == null ? null : previous.getConditions(), generation, now);
    PatchPolicyStatus status = new PatchPolicyStatus();
    Duration nextPass = EVALUATE_AT_LEAST_EVERY;
    // Nodes in flight move first, so the rollout plans with their newest state; the nodes it
    // selects move right after. Driven whatever the spec says now: never abandoned cordoned.
    NodePatcher.Driven inFlight =
        nodePatcher.mayPatchNodes(namespace)
            ? driveNodes(policy, caches.nodesOf(NodePatcher.policyId(policy)))
            : NodePatcher.Driven.NOTHING;
    Map<String, Node> selectedNodes = Map.of();
    List<Node> memberNodes = List.of();
    if (onlyMissingReferences(problems)) {
      // A missing group or window is reported, and the targets of the others still evaluated.
      Evaluation evaluation = evaluate(policy, groups, now, conditions);
      List<Rollouts.NodeTarget> nodeTargets = latest(evaluation.nodeTargets(), inFlight.nodes());
      memberNodes = nodeTargets.stream().map(Rollouts.NodeTarget::node).toList();
      Map<String, ManagedEndpoint> written = Map.of();
      PolicyStatuses.fill(status, evaluation.summary());
      PolicyStatuses.compliantCondition(conditions, evaluation.summary());
      gauges.put(namespace, name, evaluation.summary());
      nextPass = until(now, evaluation.summary().nextChange());
      if (problems.isEmpty()) {
        // Rollouts only for a policy that is entirely valid: a missing wave group or window
        // must not change which targets are patched when.
        Rollouts.Outcome rollout =
            rollouts.step(
                policy,
                evaluation.endpointTargets(),
                nodeTargets,
                groups,
                validWindows(context.getSecondaryResources(MaintenanceWindow.class)),
                caches.runsOf(namespace, name),
                evaluation.evaluatorAt());
        status.setRollout(rollout.progress());
        status.setLastRun(rollout.lastRun());
        written = rollout.written();
        selectedNodes = rollout.selectedNodes();
        Duration untilRollout = until(now, rollout.nextChange());
        nextPass = untilRollout.compareTo(nextPass) < 0 ? untilRollout : nextPass;
        if (rollout.progress() != null && nextPass.compareTo(RUN_PASS_AT_LEAST_EVERY) > 0) {
          nextPass = RUN_PASS_AT_LEAST_EVERY;
        }
      }
      // Compliance entries after assignments: assignments are what a rollout waits for, and an
      // endpoint just written is patched from the API server's answer (its resourceVersion), not
      // from the older cached copy that would conflict.
      writer.write(name, fresh(evaluation.changes(), written));
    } else {
      gauges.remove(namespace, name);
    }
    NodePatcher.Driven selected = driveNodes(policy, selectedNodes.values());
    Map<String, Node> inRun = new LinkedHashMap<>(inFlight.nodes());
    inRun.putAll(selected.nodes());
    nodeGauges.put(namespace, name, NodePatcher.policyId(policy), memberNodes, inRun.values());
    Duration untilNodes = until(now, Timestamps.earlier(inFlight.next(), selected.next()));
    nextPass = untilNodes.compareTo(nextPass) < 0 ? untilNodes : nextPass;
    if (!problems.isEmpty() && previous != null) {
      // Nothing lost while the spec is invalid: the last known rollout state stays visible.
      status.setRollout(previous.getRollout());
      status.setLastRun(previous.getLastRun());
    }
    if (problems.isEmpty()) {
      conditions.ready(Reason.SpecValid, "The policy is valid and its groups and windows exist.");
    } else {
      conditions.invalid(problems);
    }
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    return statusWriter.patchIfChanged(policy, status, PatchPolicy::new).rescheduleAfter(nextPass);
  }

  /** Moves the given nodes of this policy's runs (members or not any more) as far as they go. */
  private NodePatcher.Driven driveNodes(PatchPolicy policy, Collection<Node> nodes) {
    return nodes.isEmpty()
        ? NodePatcher.Driven.NOTHING
        : nodePatcher.drive(policy, nodes, runsByName(policy), this::cachedJob);
  }

  /**
   * The node targets with the nodes as the drive just wrote them, plus nodes of a run that left the
   * policy's groups meanwhile: they still hold their slot of maxConcurrent until they finish.
   */
  private static List<Rollouts.NodeTarget> latest(
      List<Rollouts.NodeTarget> targets, Map<String, Node> driven) {
    if (driven.isEmpty()) {
      return targets;
    }
    List<Rollouts.NodeTarget> result = new ArrayList<>(targets.size());
    Set<String> members = new HashSet<>();
    for (Rollouts.NodeTarget t : targets) {
      String name = t.node().getMetadata().getName();
      members.add(name);
      Node node = driven.get(name);
      result.add(node == null ? t : new Rollouts.NodeTarget(node, t.evaluation()));
    }
    driven.forEach(
        (name, node) -> {
          if (!members.contains(name)) {
            result.add(
                new Rollouts.NodeTarget(
                    node,
                    new TargetEvaluation(
                        name,
                        ComplianceState.NotApplicable,
                        "left the policy's groups during its run",
                        List.of(),
                        null,
                        null)));
          }
        });
    return result;
  }

  private Function<String, PatchRun> runsByName(PatchPolicy policy) {
    Map<String, PatchRun> runs = new HashMap<>();
    caches
        .runsOf(policy.getMetadata().getNamespace(), policy.getMetadata().getName())
        .forEach(r -> runs.put(r.getMetadata().getName(), r));
    return runs::get;
  }

  private Job cachedJob(String name) {
    return caches.job(nodePatcher.jobNamespace(), name);
  }

  private static List<ComplianceWriter.Change> fresh(
      List<ComplianceWriter.Change> changes, Map<String, ManagedEndpoint> written) {
    if (written.isEmpty()) {
      return changes;
    }
    List<ComplianceWriter.Change> result = new ArrayList<>(changes.size());
    for (ComplianceWriter.Change c : changes) {
      ManagedEndpoint updated = written.get(c.cached().getMetadata().getUid());
      result.add(updated == null ? c : new ComplianceWriter.Change(updated, c.desired()));
    }
    return result;
  }

  private static List<MaintenanceWindow> validWindows(Set<MaintenanceWindow> windows) {
    return windows.stream()
        .filter(w -> MaintenanceWindowValidator.validate(w.getSpec()).isEmpty())
        .sorted(java.util.Comparator.comparing(w -> w.getMetadata().getName()))
        .toList();
  }

  /** Removes this policy's entries from its endpoints and its metrics. */
  @Override
  public DeleteControl cleanup(PatchPolicy policy, Context<PatchPolicy> context)
      throws ComplianceWriteException {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    List<ComplianceWriter.Change> removals = new ArrayList<>();
    caches
        .endpointsIn(namespace)
        .filter(e -> ComplianceWriter.entry(e, name) != null)
        .forEach(e -> removals.add(new ComplianceWriter.Change(e, null)));
    writer.write(name, removals);
    boolean nodesReleased =
        nodePatcher.finishForDeletedPolicy(
            policy,
            caches.nodesOf(NodePatcher.policyId(policy)),
            runsByName(policy),
            this::cachedJob);
    if (!nodesReleased) {
      // Nodes whose patch Job started are finished before the policy goes (finalizer kept).
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(NODE_RELEASE_RETRY);
    }
    gauges.remove(namespace, name);
    nodeGauges.remove(namespace, name);
    rollouts.forget(namespace, name);
    return DeleteControl.defaultDelete();
  }

  /** The result of one pass: the summary and the endpoint entries to write. */
  private record Evaluation(
      ComplianceSummary summary,
      List<ComplianceWriter.Change> changes,
      List<Rollouts.EndpointTarget> endpointTargets,
      List<Rollouts.NodeTarget> nodeTargets,
      Function<Instant, ComplianceEvaluator> evaluatorAt) {}

  private Evaluation evaluate(
      PatchPolicy policy,
      Map<String, EndpointGroup> groups,
      Instant now,
      StatusAggregator conditions) {
    PatchPolicySpec spec = policy.getSpec();
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    registry
        .counter(
            MetricNames.POLICY_EVALUATIONS,
            MetricNames.NAMESPACE,
            namespace,
            MetricNames.POLICY,
            name)
        .increment();
    ApprovalRules approval = ApprovalRules.from(spec.getApproval());
    NodeCompliance nodeRules =
        NodeCompliance.from(
            spec.getNodes(),
            spec.getNodes() == null || spec.getNodes().getPatch() == null
                ? null
                : NodePatcher.marker(NodePatcher.policyId(policy), spec.getNodes().getPatch()));
    approvalCondition(conditions, approval, nodeRules != null, now);
    DeadlineRules deadlines = DeadlineRules.from(spec.getDeadlines());
    KnownExploitedCatalog catalogue = catalogue(policy, conditions);
    Function<Instant, ComplianceEvaluator> evaluatorAt =
        at -> new ComplianceEvaluator(approval, deadlines, catalogue, at);
    ComplianceEvaluator evaluator = evaluatorAt.apply(now);

    PolicyCaches.Members members = caches.members(spec, groups, namespace);
    List<ManagedEndpoint> endpointTargets = new ArrayList<>(members.endpoints().keySet());
    List<TargetFacts> facts = new ArrayList<>(endpointTargets.size());
    Set<String> uids = new HashSet<>();
    for (ManagedEndpoint endpoint : endpointTargets) {
      uids.add(endpoint.getMetadata().getUid());
      facts.add(targets.endpoint(endpoint, members.endpoints().get(endpoint)));
    }
    List<TargetEvaluation> results = new ArrayList<>(evaluator.evaluateAll(facts));
    List<ComplianceWriter.Change> changes = new ArrayList<>();
    List<Rollouts.EndpointTarget> rolloutTargets = new ArrayList<>(endpointTargets.size());
    for (int i = 0; i < endpointTargets.size(); i++) {
      ManagedEndpoint endpoint = endpointTargets.get(i);
      rolloutTargets.add(new Rollouts.EndpointTarget(endpoint, results.get(i)));
      var desired = PolicyStatuses.entry(name, results.get(i));
      if (!ComplianceWriter.upToDate(endpoint, name, desired)) {
        changes.add(new ComplianceWriter.Change(endpoint, desired));
      }
    }
    List<Rollouts.NodeTarget> nodeTargets = new ArrayList<>(members.nodes().size());
    for (Map.Entry<Node, Duration> n : members.nodes().entrySet()) {
      TargetEvaluation result =
          NodeCompliance.evaluate(nodeRules, Targets.node(n.getKey(), n.getValue()), now);
      results.add(result);
      nodeTargets.add(new Rollouts.NodeTarget(n.getKey(), result));
    }
    // Endpoints that left the policy's groups lose its entry.
    Set<String> live = new HashSet<>();
    caches
        .endpointsIn(namespace)
        .forEach(
            e -> {
              live.add(e.getMetadata().getUid());
              if (!uids.contains(e.getMetadata().getUid())
                  && ComplianceWriter.entry(e, name) != null) {
                changes.add(new ComplianceWriter.Change(e, null));
              }
            });
    targets.retainOnly(namespace, live);
    return new Evaluation(
        ComplianceSummary.of(results, now), changes, rolloutTargets, nodeTargets, evaluatorAt);
  }

  /**
   * @param nodeTarget the policy sets spec.nodes.target: a node policy needs no approval rules, as
   *     nodes are compared with the target, so "nothing approvable" is no warning there
   */
  private static void approvalCondition(
      StatusAggregator conditions, ApprovalRules approval, boolean nodeTarget, Instant now) {
    List<ApprovalRules.Warning> warnings =
        approval.warnings(LocalDate.ofInstant(now, ZoneOffset.UTC)).stream()
            .filter(w -> !(nodeTarget && w.reason() == Reason.NothingApprovable))
            .toList();
    if (warnings.isEmpty()) {
      conditions.set(
          ConditionType.ApprovalRulesEffective.name(),
          ConditionStatus.TRUE,
          Reason.RulesEffective.name(),
          "The approval section can approve updates.");
    } else {
      conditions.set(
          ConditionType.ApprovalRulesEffective.name(),
          ConditionStatus.FALSE,
          warnings.get(0).reason().name(),
          String.join("; ", warnings.stream().map(ApprovalRules.Warning::message).toList()) + ".");
    }
  }

  /** The policy's catalogue, or none (with KnownExploitedCatalogValid=False saying why). */
  private KnownExploitedCatalog catalogue(PatchPolicy policy, StatusAggregator conditions) {
    var ref = policy.getSpec().getKnownExploitedCatalog();
    if (ref == null) {
      return KnownExploitedCatalog.EMPTY;
    }
    String namespace = policy.getMetadata().getNamespace();
    KnownExploitedCatalogs.Loaded loaded =
        catalogs.load(ref, cm -> caches.configMap(cm, namespace));
    conditions.set(
        ConditionType.KnownExploitedCatalogValid.name(),
        loaded.valid() ? ConditionStatus.TRUE : ConditionStatus.FALSE,
        loaded.reason().name(),
        loaded.message());
    return loaded.valid() ? loaded.catalog() : KnownExploitedCatalog.EMPTY;
  }

  private static boolean onlyMissingReferences(List<SpecProblem> problems) {
    return problems.stream()
        .allMatch(p -> p.reason() == Reason.GroupNotFound || p.reason() == Reason.WindowNotFound);
  }

  /** How long until the next pass: at the next time-driven change, at most the maximum interval. */
  private static Duration until(Instant now, Instant next) {
    if (next == null) {
      return EVALUATE_AT_LEAST_EVERY;
    }
    Duration d = Duration.between(now, next).plusMillis(500);
    if (d.isNegative()) {
      return Duration.ofSeconds(1);
    }
    return d.compareTo(EVALUATE_AT_LEAST_EVERY) < 0 ? d : EVALUATE_AT_LEAST_EVERY;
  }

  private static Set<String> names(Set<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static Map<String, EndpointGroup> byName(Set<EndpointGroup> groups) {
    return groups.stream().collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
  }
}
