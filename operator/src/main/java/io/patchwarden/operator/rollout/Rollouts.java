package io.patchwarden.operator.rollout;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.AssignedUpdate;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.AssignmentResult;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.UpdateOutcome;
import io.patchwarden.api.endpoint.UpdateResult;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.api.policy.ApprovalMode;
import io.patchwarden.api.policy.EmergencyTrigger;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.PolicyMode;
import io.patchwarden.api.policy.RolloutProgress;
import io.patchwarden.api.policy.RunReference;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.api.run.Baseline;
import io.patchwarden.api.run.BaselineUpdate;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.run.PatchRunSpec;
import io.patchwarden.api.run.PatchRunStatus;
import io.patchwarden.api.run.RunPhase;
import io.patchwarden.api.run.TargetCounts;
import io.patchwarden.api.run.TargetFailure;
import io.patchwarden.api.run.WaveProgress;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.inventory.Selector;
import io.patchwarden.operator.inventory.Selectors;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.policy.ComplianceEvaluator;
import io.patchwarden.operator.policy.MissingUpdate;
import io.patchwarden.operator.policy.TargetEvaluation;
import io.patchwarden.operator.policy.Update;
import io.patchwarden.operator.rollout.Plan.Admission;
import io.patchwarden.operator.rollout.Plan.Phase;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.support.Decisions;
import io.patchwarden.operator.support.Durations;
import io.patchwarden.operator.support.JsonPatch;
import io.patchwarden.operator.support.ParallelWrites;
import io.patchwarden.operator.support.Timestamps;
import io.patchwarden.operator.window.Interval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rollout step of a policy pass: starts PatchRuns, plans with {@link RolloutPlanner}, writes
 * assignments and clears finished ones, keeps the run's status, records Events, prunes history.
 *
 * <p>Everything the planner needs is derived from the API on every pass — an endpoint's progress
 * from its assignment and last result, soak and accepted failures from the run's status — so a
 * restarted or newly elected operator continues the same run. The one thing the cache may not show
 * yet is an assignment written a moment ago; those are remembered until it does, so a pass that
 * follows quickly never exceeds maxConcurrent.
 */
public final class Rollouts {
  public static final String POLICY_LABEL = "patchwarden.io/policy";

  /** How long an assignment outside any window may be installed. */
  static final Duration NO_WINDOW_INSTALL_TIME = Duration.ofHours(24);

  private static final Set<RunPhase> FINISHED =
      EnumSet.of(RunPhase.Succeeded, RunPhase.Failed, RunPhase.Cancelled);
  private static final DateTimeFormatter RUN_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final RunGauges gauges;
  private final MeterRegistry registry;
  private final Map<String, Set<String>> recentlyAssigned = new ConcurrentHashMap<>();
  private final ParallelWrites writer;
  private final NodePatcher nodePatcher;

  public Rollouts(
      KubernetesClient client,
      Clock clock,
      EventRecorder events,
      RunGauges gauges,
      MeterRegistry registry,
      ParallelWrites writer,
      NodePatcher nodePatcher) {
    this.client = client;
    this.nodePatcher = nodePatcher;
    this.writer = writer;
    this.clock = clock;
    this.events = events;
    this.gauges = gauges;
    this.registry = registry;
  }

  /** Forgets a deleted policy's gauges. */
  public void forget(String namespace, String policy) {
    gauges.remove(namespace, policy);
  }

  /** One endpoint target of the policy with its compliance this pass. */
  public record EndpointTarget(ManagedEndpoint endpoint, TargetEvaluation evaluation) {}

  /** One node target of the policy with its compliance this pass. */
  public record NodeTarget(Node node, TargetEvaluation evaluation) {}

  /** What the policy's status says about rollouts after this step. */
  /**
   * @param written endpoints this step wrote, by uid, as the API server returned them: the
   *     compliance writes that follow use their resourceVersion instead of the cache's
   */
  public record Outcome(
      RolloutProgress progress,
      RunReference lastRun,
      Instant nextChange,
      Map<String, ManagedEndpoint> written,
      Map<String, Node> selectedNodes) {}

  /**
   * @param groups the policy's groups that exist, by name (wave groups among them)
   * @param windows the policy's windows that exist
   * @param runs the policy's PatchRuns (from the cache)
   * @param evaluatorAt the policy's evaluator at an instant (the baseline is "approved at cutoff")
   */
  public Outcome step(
      PatchPolicy policy,
      List<EndpointTarget> targets,
      List<NodeTarget> nodes,
      Map<String, EndpointGroup> groups,
      List<MaintenanceWindow> windows,
      List<PatchRun> runs,
      Function<Instant, ComplianceEvaluator> evaluatorAt) {
    Instant now = clock.instant();
    PatchPolicySpec spec = policy.getSpec();
    boolean audit = spec.getMode() != PolicyMode.Enforce;
    List<PatchRun> ordered =
        runs.stream()
            .sorted(Comparator.comparing((PatchRun r) -> r.getMetadata().getName()))
            .toList();
    PatchRun current = null;
    PatchRun lastFinished = null;
    for (PatchRun r : ordered) {
      if (finished(r)) {
        lastFinished = r;
      } else {
        current = r;
      }
    }
    Map<String, ManagedEndpoint> written = new ConcurrentHashMap<>();
    Map<String, Node> selected = new ConcurrentHashMap<>();
    String policyId = NodePatcher.policyId(policy);
    List<NodeTarget> nodeTargets = NodeRollout.patchesNodes(spec) ? nodes : List.of();
    clearFinishedAssignments(targets, written);
    if (current != null && Boolean.TRUE.equals(current.getSpec().getDryRun()) != audit) {
      // Switched mode: a preview ends, a real run is cancelled (in-flight assignments finish).
      endRun(policy, current, audit ? RunPhase.Cancelled : RunPhase.DryRun, now);
      lastFinished = current;
      current = null;
    }
    if (current == null) {
      List<MissingUpdate> missing = baselineCandidates(targets, lastFinished);
      int nodesBehind =
          NodeRollout.startingARun(
              nodeTargets,
              policyId,
              lastFinished == null ? null : lastFinished.getMetadata().getName());
      if (missing.isEmpty() && nodesBehind == 0) {
        gauges.remove(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
        return new Outcome(null, reference(lastFinished), null, written, selected);
      }
      current = startRun(policy, missing, nodesBehind, audit, now);
    }
    return advance(
        policy,
        current,
        targets,
        nodeTargets,
        groups,
        windows,
        evaluatorAt,
        now,
        lastFinished,
        ordered,
        written,
        selected);
  }

  private Outcome advance(
      PatchPolicy policy,
      PatchRun run,
      List<EndpointTarget> targets,
      List<NodeTarget> nodes,
      Map<String, EndpointGroup> groups,
      List<MaintenanceWindow> windows,
      Function<Instant, ComplianceEvaluator> evaluatorAt,
      Instant now,
      PatchRun lastFinished,
      List<PatchRun> all,
      Map<String, ManagedEndpoint> written,
      Map<String, Node> selected) {
    PatchPolicySpec spec = policy.getSpec();
    String runName = run.getMetadata().getName();
    Instant cutoff = Timestamps.parse(run.getSpec().getBaseline().getCutoff()).orElse(now);
    ComplianceEvaluator atCutoff = evaluatorAt.apply(cutoff);
    Set<EmergencyTrigger> emergency = emergencyTriggers(spec);
    List<WaveDef> waves = WaveDef.complete(waveDefs(run.getSpec().getWaves()));
    TargetWindows targetWindows = new TargetWindows(windows, now, NO_WINDOW_INSTALL_TIME);

    Map<String, Selector> selectors =
        Selectors.ofGroups(groups, EndpointGroupSpec::getEndpointSelector);
    Map<String, EndpointTarget> byUid = new LinkedHashMap<>();
    Map<String, List<MissingUpdate>> baselineByUid = new HashMap<>();
    List<RolloutTarget> rolloutTargets = new ArrayList<>();
    Set<String> justAssigned = recentlyAssigned.getOrDefault(runName, Set.of());
    Set<String> confirmed = new HashSet<>();
    for (EndpointTarget t : targets) {
      ManagedEndpoint e = t.endpoint();
      String uid = e.getMetadata().getUid();
      byUid.put(uid, t);
      Progress progress = progress(e, runName);
      if (progress != Progress.None) {
        confirmed.add(uid);
      } else if (justAssigned.contains(uid)) {
        progress = Progress.Assigned; // written a moment ago, not in the cache yet
      }
      List<MissingUpdate> inBaseline = inBaseline(t.evaluation(), atCutoff, cutoff);
      baselineByUid.put(uid, inBaseline);
      boolean needsEmergency =
          t.evaluation().missing().stream().anyMatch(m -> isEmergency(m, emergency));
      String zone =
          e.getStatus() == null || e.getStatus().getInventory() == null
              ? null
              : e.getStatus().getInventory().getTimeZone();
      var open = targetWindows.openFor(zone);
      Instant dueBy = t.evaluation().dueBy();
      boolean beyond = false;
      if (open == null && dueBy != null) {
        Instant next = targetWindows.nextOpening(zone);
        beyond = next == null || next.isAfter(dueBy);
      }
      rolloutTargets.add(
          new RolloutTarget(
              uid,
              e.getMetadata().getName(),
              Selectors.matching(selectors, e.getMetadata().getLabels()),
              progress,
              !inBaseline.isEmpty(),
              needsEmergency,
              t.evaluation().state() == ComplianceState.Stale,
              open,
              beyond,
              failure(e, runName)));
    }
    String policyId = NodePatcher.policyId(policy);
    Map<String, Selector> nodeSelectors =
        Selectors.ofGroups(groups, EndpointGroupSpec::getNodeSelector);
    Map<String, NodeTarget> nodesByUid = new HashMap<>();
    Interval nodeWindow = nodes.isEmpty() ? null : targetWindows.openFor(null);
    boolean runPatchesNodes =
        run.getSpec().getNodes() != null && run.getSpec().getNodes().getPatch() != null;
    for (NodeTarget t : runPatchesNodes ? nodes : List.<NodeTarget>of()) {
      Node node = t.node();
      if (NodeRollout.busyWithAnotherPolicy(node, policyId)) {
        continue; // another policy's until it finishes there
      }
      String uid = node.getMetadata().getUid();
      Progress progress = NodeRollout.progress(node, policyId, runName);
      if (NodeRollout.inFlightForEarlierRun(node, policyId, runName)) {
        progress = Progress.Assigned; // holds its slot; never admitted again meanwhile
      } else {
        nodesByUid.put(uid, t);
      }
      if (progress != Progress.None) {
        confirmed.add(uid);
      } else if (justAssigned.contains(uid)) {
        progress = Progress.Assigned; // selected a moment ago, not in the cache yet
      }
      rolloutTargets.add(
          NodeRollout.target(
              t,
              progress,
              Selectors.matching(nodeSelectors, node.getMetadata().getLabels()),
              nodeWindow,
              policyId,
              runName));
    }
    if (!justAssigned.isEmpty()) {
      Set<String> still = new HashSet<>(justAssigned);
      still.removeAll(confirmed);
      recentlyAssigned.put(runName, still);
    }

    PatchRunStatus previous = run.getStatus() == null ? new PatchRunStatus() : run.getStatus();
    List<Integer> accepted = acceptedFailures(previous);
    String token = spec.getRollout() == null ? null : spec.getRollout().getResumeToken();
    boolean resumed =
        previous.getPhase() == RunPhase.Halted
            && !Objects.equals(
                nullToEmpty(token), nullToEmpty(previous.getHaltedWithResumeToken()));
    if (resumed && previous.getWaves() != null) {
      // The user accepted the failures so far: only new ones count against the threshold.
      for (int i = 0; i < previous.getWaves().size(); i++) {
        Integer failed = previous.getWaves().get(i).getFailed();
        while (accepted.size() <= i) {
          accepted.add(0);
        }
        accepted.set(i, failed == null ? 0 : failed);
      }
    }
    RunSnapshot snapshot =
        new RunSnapshot(
            runName,
            completedAt(previous),
            accepted,
            approved(spec, runName),
            spec.getRollout() != null && Boolean.TRUE.equals(spec.getRollout().getPaused()),
            Boolean.TRUE.equals(run.getSpec().getDryRun()),
            limit(spec.getRollout() == null ? null : spec.getRollout().getMaxConcurrent(), "1"),
            limit(spec.getRollout() == null ? null : spec.getRollout().getHaltOnFailures(), null));
    Plan plan = RolloutPlanner.plan(snapshot, waves, rolloutTargets, now, NO_WINDOW_INSTALL_TIME);

    int assignedNow =
        assign(policy, run, plan, byUid, baselineByUid, emergency, written)
            + select(policyId, runName, plan, nodesByUid, selected);
    PatchRunStatus status = runStatus(previous, plan, accepted, token, now, assignedNow > 0);
    writeRunStatus(run, status);
    recordTransitions(policy, run, previous, status, plan, resumed);
    gauges.put(policy.getMetadata().getNamespace(), policy.getMetadata().getName(), plan);
    if (plan.finished()) {
      recentlyAssigned.remove(runName); // nothing of a finished run is admitted again
      prune(policy, all, run);
      return new Outcome(null, reference(run, status), null, written, selected);
    }
    Instant next = Timestamps.earlier(plan.nextChange(), targetWindows.nextChange());
    return new Outcome(progress(runName, plan), reference(lastFinished), next, written, selected);
  }

  // ---- runs ------------------------------------------------------------------------------------

  private PatchRun startRun(
      PatchPolicy policy,
      List<MissingUpdate> missing,
      int nodesBehind,
      boolean audit,
      Instant now) {
    PatchPolicySpec spec = policy.getSpec();
    String name = runName(policy.getMetadata().getName(), now);
    PatchRun run = new PatchRun();
    run.getMetadata().setName(name);
    run.getMetadata().setNamespace(policy.getMetadata().getNamespace());
    run.getMetadata().setLabels(Map.of(POLICY_LABEL, policy.getMetadata().getName()));
    run.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(policy.getApiVersion())
                    .withKind(policy.getKind())
                    .withName(policy.getMetadata().getName())
                    .withUid(policy.getMetadata().getUid())
                    .withController(true)
                    .build()));
    PatchRunSpec runSpec = new PatchRunSpec();
    runSpec.setPolicy(policy.getMetadata().getName());
    runSpec.setPolicyGeneration(policy.getMetadata().getGeneration());
    runSpec.setDryRun(audit ? Boolean.TRUE : null);
    runSpec.setBaseline(baseline(missing, now));
    if (NodeRollout.patchesNodes(spec)) {
      runSpec.setNodes(spec.getNodes());
    }
    if (spec.getRollout() != null) {
      runSpec.setWaves(spec.getRollout().getWaves());
      runSpec.setMaxConcurrent(spec.getRollout().getMaxConcurrent());
      runSpec.setHaltOnFailures(spec.getRollout().getHaltOnFailures());
    }
    run.setSpec(runSpec);
    PatchRun created = client.resource(run).create();
    events.record(
        policy,
        RunEvent.RunStarted,
        (audit ? "Preview (Audit mode) " : "Run ")
            + name
            + " started with "
            + runSpec.getBaseline().getUpdateCount()
            + " approved updates"
            + (nodesBehind > 0 ? " and " + nodesBehind + " nodes to patch." : "."));
    if (!audit && approvalMode(spec) == ApprovalMode.Manual) {
      events.record(
          policy,
          RunEvent.WaitingForApproval,
          "Run " + name + " waits for approval: add it to spec.approval.approvedRuns.");
    }
    return created;
  }

  /** Run names sort by start time: {@code <policy>-<yyyyMMdd-HHmmss>}. */
  public static String runName(String policy, Instant now) {
    String suffix = "-" + RUN_SUFFIX.format(now);
    String base =
        policy.length() + suffix.length() > 253
            ? policy.substring(0, 253 - suffix.length())
            : policy;
    return base + suffix;
  }

  private static Baseline baseline(List<MissingUpdate> missing, Instant cutoff) {
    Map<String, MissingUpdate> distinct = new LinkedHashMap<>();
    for (MissingUpdate m : missing) {
      distinct.putIfAbsent(m.update().id() + "\u0000" + m.update().version(), m);
    }
    List<BaselineUpdate> listed = new ArrayList<>();
    for (MissingUpdate m : distinct.values()) {
      if (listed.size() >= Baseline.MAX_LISTED_UPDATES) {
        break;
      }
      BaselineUpdate b = new BaselineUpdate();
      b.setId(m.update().id());
      b.setPackageName(m.update().packageName());
      b.setVersion(m.update().version());
      b.setClassification(m.update().classification());
      b.setSeverity(m.severity());
      b.setKnownExploited(m.knownExploited() ? Boolean.TRUE : null);
      listed.add(b);
    }
    Baseline baseline = new Baseline();
    baseline.setCutoff(Timestamps.format(cutoff));
    baseline.setUpdateCount(distinct.size());
    baseline.setUpdates(listed);
    baseline.setTruncated(distinct.size() > listed.size() ? Boolean.TRUE : null);
    return baseline;
  }

  private void endRun(PatchPolicy policy, PatchRun run, RunPhase phase, Instant now) {
    PatchRunStatus status =
        Serialization.clone(run.getStatus() == null ? new PatchRunStatus() : run.getStatus());
    status.setPhase(phase);
    status.setFinishedAt(Timestamps.format(now));
    writeRunStatus(run, status);
    if (phase == RunPhase.Cancelled) {
      events.record(
          policy,
          RunEvent.RunCancelled,
          "Run " + run.getMetadata().getName() + " cancelled: the policy is in Audit mode.");
    }
    gauges.remove(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
  }

  private static boolean finished(PatchRun r) {
    PatchRunStatus s = r.getStatus();
    return s != null && (FINISHED.contains(s.getPhase()) || s.getFinishedAt() != null);
  }

  /** Keeps spec.history.keep finished runs (default 20), deleting the oldest. */
  private void prune(PatchPolicy policy, List<PatchRun> runs, PatchRun justFinished) {
    int keep =
        policy.getSpec().getHistory() == null || policy.getSpec().getHistory().getKeep() == null
            ? 20
            : policy.getSpec().getHistory().getKeep();
    List<PatchRun> finishedRuns = new ArrayList<>();
    for (PatchRun r : runs) {
      if (finished(r) || r.getMetadata().getName().equals(justFinished.getMetadata().getName())) {
        finishedRuns.add(r);
      }
    }
    for (int i = 0; i < finishedRuns.size() - keep; i++) {
      try {
        client.resource(finishedRuns.get(i)).delete();
      } catch (KubernetesClientException e) {
        // Retried with the next finished run; history is not worth failing a pass.
      }
    }
  }

  // ---- targets ---------------------------------------------------------------------------------

  /**
   * Updates that start a new run: approved-missing updates of targets whose state is known — except
   * those a target already attempted in the last finished run (failed, or installed and not
   * rescanned yet): they alone would start run after run. They ride along when something else
   * starts one.
   */
  private static List<MissingUpdate> baselineCandidates(
      List<EndpointTarget> targets, PatchRun lastFinished) {
    String last = lastFinished == null ? null : lastFinished.getMetadata().getName();
    List<MissingUpdate> missing = new ArrayList<>();
    for (EndpointTarget t : targets) {
      if (t.evaluation().state() == ComplianceState.Stale) {
        continue;
      }
      Set<String> attempted = attemptedIn(t.endpoint(), last);
      for (MissingUpdate m : t.evaluation().missing()) {
        if (!attempted.contains(m.update().id())) {
          missing.add(m);
        }
      }
    }
    return missing;
  }

  private static Set<String> attemptedIn(ManagedEndpoint e, String run) {
    AssignmentResult r = e.getStatus() == null ? null : e.getStatus().getLastResult();
    if (run == null || r == null || !run.equals(r.getRun()) || r.getUpdates() == null) {
      return Set.of();
    }
    Set<String> ids = new HashSet<>();
    r.getUpdates().forEach(o -> ids.add(o.getId()));
    return ids;
  }

  /**
   * The target's missing updates that belong to the run's baseline: approved when the run started
   * and known by then. Derived, not stored: the baseline of 50,000 targets would not fit a run.
   */
  private static List<MissingUpdate> inBaseline(
      TargetEvaluation evaluation, ComplianceEvaluator atCutoff, Instant cutoff) {
    List<MissingUpdate> in = new ArrayList<>();
    for (MissingUpdate m : evaluation.missing()) {
      Update u = m.update();
      boolean known = u.countedFrom().map(from -> !from.isAfter(cutoff)).orElse(true);
      if (known && atCutoff.verdict(u).decision().approved()) {
        in.add(m);
      }
    }
    return in;
  }

  private static boolean isEmergency(MissingUpdate m, Set<EmergencyTrigger> triggers) {
    return (m.knownExploited() && triggers.contains(EmergencyTrigger.KnownExploited))
        || (m.severity() == io.patchwarden.api.common.Severity.Critical
            && triggers.contains(EmergencyTrigger.Critical))
        || (m.severity() == io.patchwarden.api.common.Severity.High
            && triggers.contains(EmergencyTrigger.High));
  }

  private static Set<EmergencyTrigger> emergencyTriggers(PatchPolicySpec spec) {
    if (spec.getEmergency() == null || spec.getEmergency().getOutsideWindows() == null) {
      return Set.of();
    }
    return Set.copyOf(spec.getEmergency().getOutsideWindows());
  }

  /** A target's progress in a run, from its assignment and its last result. */
  static Progress progress(ManagedEndpoint e, String run) {
    AssignmentResult result = e.getStatus() == null ? null : e.getStatus().getLastResult();
    if (result != null && run.equals(result.getRun())) {
      boolean failed =
          result.getUpdates() != null
              && result.getUpdates().stream().anyMatch(o -> o.getResult() == UpdateResult.Failed);
      return failed ? Progress.Failed : Progress.Succeeded;
    }
    Assignment a = e.getSpec() == null ? null : e.getSpec().getAssignment();
    return a != null && run.equals(a.getRun()) ? Progress.Assigned : Progress.None;
  }

  private static String failure(ManagedEndpoint e, String run) {
    AssignmentResult result = e.getStatus() == null ? null : e.getStatus().getLastResult();
    if (result == null || !run.equals(result.getRun()) || result.getUpdates() == null) {
      return null;
    }
    for (UpdateOutcome o : result.getUpdates()) {
      if (o.getResult() == UpdateResult.Failed) {
        return o.getId() + ": " + (o.getMessage() == null ? "failed" : o.getMessage());
      }
    }
    return null;
  }

  // ---- assignments -----------------------------------------------------------------------------

  private int assign(
      PatchPolicy policy,
      PatchRun run,
      Plan plan,
      Map<String, EndpointTarget> byUid,
      Map<String, List<MissingUpdate>> baselineByUid,
      Set<EmergencyTrigger> triggers,
      Map<String, ManagedEndpoint> written) {
    String runName = run.getMetadata().getName();
    List<java.util.concurrent.Callable<Boolean>> writes = new ArrayList<>();
    for (Admission admission : plan.admit()) {
      EndpointTarget t = byUid.get(admission.target().uid());
      if (t == null) {
        continue; // a node: selected by select()
      }
      List<MissingUpdate> updates =
          admission.emergency()
              ? t.evaluation().missing().stream().filter(m -> isEmergency(m, triggers)).toList()
              : baselineByUid.get(admission.target().uid());
      if (updates.isEmpty()) {
        continue;
      }
      Assignment a = new Assignment();
      a.setRun(runName);
      a.setPolicy(policy.getMetadata().getName());
      a.setUpdates(
          updates.stream()
              .limit(500)
              .map(
                  m -> {
                    AssignedUpdate u = new AssignedUpdate();
                    u.setId(m.update().id());
                    u.setPackageName(m.update().packageName());
                    u.setVersion(m.update().version());
                    return u;
                  })
              .toList());
      a.setInstallUntil(Timestamps.format(admission.installUntil()));
      a.setReboot(policy.getSpec().getReboot());
      a.setEmergency(admission.emergency() ? Boolean.TRUE : null);
      a.setAssignedAt(Timestamps.format(clock.instant()));
      writes.add(() -> writeAndCount(policy, runName, admission, t, a, written));
    }
    ParallelWrites.Result result = writer.run(writes);
    if (!result.failures().isEmpty()) {
      // Every write was tried; the pass is retried for the rest.
      Exception first = result.failures().get(0);
      throw first instanceof RuntimeException r ? r : new IllegalStateException(first);
    }
    return result.done();
  }

  private boolean writeAndCount(
      PatchPolicy policy,
      String runName,
      Admission admission,
      EndpointTarget t,
      Assignment a,
      Map<String, ManagedEndpoint> written) {
    {
      ManagedEndpoint updated = writeAssignment(t.endpoint(), a);
      if (updated != null) {
        Decisions.log(
            admission.emergency() ? "EmergencyAssigned" : "Assigned",
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(),
            runName,
            t.endpoint().getMetadata().getName(),
            a.getUpdates().size() + " updates assigned, to install until " + a.getInstallUntil());
        written.put(admission.target().uid(), updated);
        recentlyAssigned
            .computeIfAbsent(runName, k -> ConcurrentHashMap.newKeySet())
            .add(admission.target().uid());
        registry
            .counter(
                MetricNames.ASSIGNMENTS,
                MetricNames.NAMESPACE,
                policy.getMetadata().getNamespace(),
                MetricNames.POLICY,
                policy.getMetadata().getName(),
                MetricNames.RESULT,
                admission.emergency() ? "emergency" : "assigned")
            .increment();
        return true;
      }
      return false;
    }
  }

  /**
   * Writes the assignment. No resourceVersion precondition: the operator is the only writer of
   * spec.assignment, and the gateway and the compliance writer change the endpoint all the time (a
   * precondition would fail most assignments right after a compliance write). What the cache may
   * not show yet — an assignment written a moment ago — is remembered in recentlyAssigned.
   */
  private ManagedEndpoint writeAssignment(ManagedEndpoint e, Assignment a) {
    List<Map<String, Object>> ops = List.of(JsonPatch.add("/spec/assignment", a));
    try {
      return client
          .resources(ManagedEndpoint.class)
          .inNamespace(e.getMetadata().getNamespace())
          .withName(e.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 409 || ex.getCode() == 404) {
        return null;
      }
      throw ex;
    }
  }

  /**
   * Admits the plan's nodes: writes Selected into each node's record (the node's "assignment"); the
   * node patcher takes it from there in the same pass.
   */
  private int select(
      String policyId,
      String runName,
      Plan plan,
      Map<String, NodeTarget> nodesByUid,
      Map<String, Node> selected) {
    int n = 0;
    for (Admission admission : plan.admit()) {
      NodeTarget t = nodesByUid.get(admission.target().uid());
      if (t == null) {
        continue;
      }
      Node written = nodePatcher.select(policyId, runName, t.node());
      if (written != null) {
        recentlyAssigned
            .computeIfAbsent(runName, r -> ConcurrentHashMap.newKeySet())
            .add(admission.target().uid());
        selected.put(written.getMetadata().getName(), written);
        n++;
      }
    }
    return n;
  }

  /** An assignment whose result arrived is done: it is removed, so the agent sees nothing to do. */
  private void clearFinishedAssignments(
      List<EndpointTarget> targets, Map<String, ManagedEndpoint> written) {
    for (EndpointTarget t : targets) {
      ManagedEndpoint e = t.endpoint();
      Assignment a = e.getSpec() == null ? null : e.getSpec().getAssignment();
      AssignmentResult r = e.getStatus() == null ? null : e.getStatus().getLastResult();
      if (a == null || r == null || !Objects.equals(a.getRun(), r.getRun())) {
        continue;
      }
      // Removed only if it is still the assignment of that run (test fails with 422 otherwise).
      List<Map<String, Object>> ops =
          List.of(
              JsonPatch.test("/spec/assignment/run", a.getRun()),
              JsonPatch.remove("/spec/assignment"));
      try {
        written.put(
            e.getMetadata().getUid(),
            client
                .resources(ManagedEndpoint.class)
                .inNamespace(e.getMetadata().getNamespace())
                .withName(e.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops)));
        boolean failed = progress(e, r.getRun()) == Progress.Failed;
        registry
            .counter(
                MetricNames.ASSIGNMENTS,
                MetricNames.NAMESPACE,
                e.getMetadata().getNamespace(),
                MetricNames.POLICY,
                Objects.toString(a.getPolicy(), ""),
                MetricNames.RESULT,
                failed ? "failed" : "succeeded")
            .increment();
      } catch (KubernetesClientException ex) {
        if (ex.getCode() != 409 && ex.getCode() != 404 && ex.getCode() != 422) {
          throw ex;
        }
      }
    }
  }

  // ---- run status ------------------------------------------------------------------------------

  private static PatchRunStatus runStatus(
      PatchRunStatus previous,
      Plan plan,
      List<Integer> accepted,
      String token,
      Instant now,
      boolean assignedNow) {
    PatchRunStatus s = new PatchRunStatus();
    s.setPhase(phase(plan.phase()));
    s.setStartedAt(
        previous.getStartedAt() != null
            ? previous.getStartedAt()
            : assignedNow ? Timestamps.format(now) : null);
    s.setFinishedAt(plan.finished() ? Timestamps.format(now) : null);
    s.setCurrentWave(plan.currentWave() < 0 ? null : plan.waves().get(plan.currentWave()).name());
    TargetCounts totals = new TargetCounts();
    int targets = 0, pending = 0, assigned = 0, succeeded = 0, failed = 0, skipped = 0;
    List<WaveProgress> waves = new ArrayList<>();
    for (int i = 0; i < plan.waves().size(); i++) {
      Plan.WaveCounts c = plan.waves().get(i);
      WaveProgress w = new WaveProgress();
      w.setName(c.name());
      w.setTargets(c.targets());
      w.setPending(c.pending());
      w.setAssigned(c.assigned());
      w.setSucceeded(c.succeeded());
      w.setFailed(c.failed());
      w.setSkipped(c.skipped());
      WaveProgress before =
          previous.getWaves() != null && i < previous.getWaves().size()
              ? previous.getWaves().get(i)
              : null;
      String started = before != null ? before.getStartedAt() : null;
      if (started == null
          && (i == plan.currentWave() || c.completedAt() != null)
          && (c.assigned() + c.succeeded() + c.failed() > 0 || c.completedAt() != null)) {
        started = Timestamps.format(now);
      }
      w.setStartedAt(started);
      w.setCompletedAt(c.completedAt() == null ? null : Timestamps.format(c.completedAt()));
      w.setSoakUntil(
          c.soakUntil() == null
                  || c.completedAt() == null
                  || !c.soakUntil().isAfter(c.completedAt())
              ? null
              : Timestamps.format(c.soakUntil()));
      int acc = i < accepted.size() && accepted.get(i) != null ? accepted.get(i) : 0;
      w.setAcceptedFailures(acc == 0 ? null : acc);
      waves.add(w);
      targets += c.targets();
      pending += c.pending();
      assigned += c.assigned();
      succeeded += c.succeeded();
      failed += c.failed();
      skipped += c.skipped();
    }
    totals.setTargets(targets);
    totals.setPending(pending);
    totals.setAssigned(assigned);
    totals.setSucceeded(succeeded);
    totals.setFailed(failed);
    totals.setSkipped(skipped);
    s.setTotals(totals);
    s.setWaves(waves);
    List<TargetFailure> failures = new ArrayList<>();
    for (RolloutTarget t : plan.failures()) {
      if (failures.size() >= PatchRunStatus.MAX_LISTED_FAILURES) {
        break;
      }
      TargetFailure f = new TargetFailure();
      f.setKind(t.kind());
      f.setTarget(t.name());
      f.setReason(t.failureReason() != null ? t.failureReason() : "InstallFailed");
      f.setMessage(t.failure() == null ? null : cut(t.failure(), 1024));
      failures.add(f);
    }
    s.setFailures(failures.isEmpty() ? null : failures);
    // The token in force when the run halted (absent: none was set); changing it resumes.
    s.setHaltedWithResumeToken(
        plan.phase() == Phase.Halted
            ? (previous.getPhase() == RunPhase.Halted
                ? previous.getHaltedWithResumeToken()
                : emptyToNull(token))
            : null);
    var conditions = new StatusAggregator(previous.getConditions(), 1, now);
    conditions.ready(Reason.SpecValid, "Phase " + s.getPhase() + ".");
    condition(
        conditions,
        ConditionType.Succeeded.name(),
        plan.phase() == Phase.Succeeded,
        Reason.RunSucceeded,
        plan.finished() ? Reason.RunFailed : Reason.RunInProgress,
        plan.finished()
            ? (plan.phase() == Phase.Succeeded
                ? "Every target succeeded or was skipped."
                : failed + " targets failed.")
            : "The run has not finished.");
    condition(
        conditions,
        ConditionType.Halted.name(),
        plan.phase() == Phase.Halted,
        Reason.FailuresAboveThreshold,
        Reason.FailuresWithinThreshold,
        plan.phase() == Phase.Halted
            ? "Wave "
                + plan.waves().get(plan.halted()).name()
                + " has "
                + plan.waves().get(plan.halted()).failed()
                + " failed targets, more than haltOnFailures allows; e.g. "
                + failedNames(plan)
                + ". Change spec.rollout.resumeToken or raise haltOnFailures to resume."
            : "Not halted.");
    condition(
        conditions,
        ConditionType.WaitingForApproval.name(),
        plan.phase() == Phase.WaitingForApproval,
        Reason.ApprovalRequired,
        Reason.Approved,
        plan.phase() == Phase.WaitingForApproval
            ? "Add this run's name to the policy's spec.approval.approvedRuns."
            : "Not waiting for approval.");
    condition(
        conditions,
        ConditionType.WaitingForWindow.name(),
        plan.phase() == Phase.WaitingForWindow,
        Reason.NoWindowOpen,
        Reason.NotWaitingForWindow,
        plan.phase() == Phase.WaitingForWindow
            ? "No maintenance window is open for the pending targets of the current wave."
            : "Not waiting for a window.");
    s.setConditions(conditions.build());
    s.setObservedGeneration(1L);
    return s;
  }

  private static String failedNames(Plan plan) {
    return String.join(", ", plan.failures().stream().limit(5).map(RolloutTarget::name).toList());
  }

  private static void condition(
      StatusAggregator c, String type, boolean on, Reason yes, Reason no, String message) {
    c.set(type, on ? ConditionStatus.TRUE : ConditionStatus.FALSE, (on ? yes : no).name(), message);
  }

  private void writeRunStatus(PatchRun run, PatchRunStatus status) {
    if (StatusWriter.sameJson(run.getStatus(), status)) {
      return;
    }
    List<Map<String, Object>> ops = List.of(JsonPatch.add("/status", status));
    client
        .resources(PatchRun.class)
        .inNamespace(run.getMetadata().getNamespace())
        .withName(run.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
  }

  private void recordTransitions(
      PatchPolicy policy,
      PatchRun run,
      PatchRunStatus before,
      PatchRunStatus after,
      Plan plan,
      boolean resumed) {
    String name = run.getMetadata().getName();
    if (after.getPhase() == before.getPhase()
        && Objects.equals(after.getCurrentWave(), before.getCurrentWave())
        && !resumed) {
      return;
    }
    if (resumed && after.getPhase() != RunPhase.Halted) {
      events.record(policy, RunEvent.RunResumed, "Run " + name + " resumed.");
    }
    switch (after.getPhase()) {
      case Halted ->
          events.record(
              policy,
              RunEvent.RunHalted,
              "Run "
                  + name
                  + " halted: "
                  + plan.failures().size()
                  + " failed targets, e.g. "
                  + failedNames(plan)
                  + ".");
      case Succeeded ->
          events.record(
              policy,
              RunEvent.RunSucceeded,
              "Run "
                  + name
                  + " succeeded: "
                  + after.getTotals().getSucceeded()
                  + " targets patched.");
      case Failed ->
          events.record(
              policy,
              RunEvent.RunFailed,
              "Run "
                  + name
                  + " finished with "
                  + after.getTotals().getFailed()
                  + " failed targets.");
      default -> {
        if (after.getCurrentWave() != null
            && !after.getCurrentWave().equals(before.getCurrentWave())
            && after.getPhase() == RunPhase.Running) {
          events.record(
              policy,
              RunEvent.WaveStarted,
              "Run " + name + ": wave " + after.getCurrentWave() + " started.");
        }
      }
    }
  }

  private static RunPhase phase(Phase p) {
    return switch (p) {
      case WaitingForApproval -> RunPhase.WaitingForApproval;
      case WaitingForWindow -> RunPhase.WaitingForWindow;
      case Running, Soaking, Paused -> RunPhase.Running;
      case Halted -> RunPhase.Halted;
      case DryRun -> RunPhase.DryRun;
      case Succeeded -> RunPhase.Succeeded;
      case Failed -> RunPhase.Failed;
    };
  }

  // ---- small helpers ---------------------------------------------------------------------------

  private static boolean approved(PatchPolicySpec spec, String run) {
    if (approvalMode(spec) != ApprovalMode.Manual) {
      return true;
    }
    return spec.getApproval().getApprovedRuns() != null
        && spec.getApproval().getApprovedRuns().contains(run);
  }

  private static ApprovalMode approvalMode(PatchPolicySpec spec) {
    return spec.getApproval() == null || spec.getApproval().getMode() == null
        ? ApprovalMode.Automatic
        : spec.getApproval().getMode();
  }

  private static Limit limit(IntOrString value, String fallback) {
    if (value == null) {
      return fallback == null ? Limit.NONE : Limit.of(null, fallback);
    }
    return Limit.of(value.getIntVal(), value.getStrVal());
  }

  /**
   * A run's waves. The operator copies them from the validated policy, but a PatchRun may be
   * written or edited by hand and the schema admits any digits: a soak that cannot be read holds
   * the next wave as long as possible ({@link Durations#MAX}) rather than failing every pass of the
   * policy or starting the next wave at once.
   */
  static List<WaveDef> waveDefs(List<Wave> waves) {
    if (waves == null) {
      return List.of();
    }
    return waves.stream()
        .map(w -> new WaveDef(w.getName(), w.getGroup(), w.getPercent(), soak(w.getSoak())))
        .toList();
  }

  private static Duration soak(String value) {
    if (value == null) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException unreadable) {
      return Durations.MAX;
    }
  }

  private static List<Instant> completedAt(PatchRunStatus status) {
    List<Instant> done = new ArrayList<>();
    if (status.getWaves() != null) {
      for (WaveProgress w : status.getWaves()) {
        done.add(Timestamps.parse(w.getCompletedAt()).orElse(null));
      }
    }
    return done;
  }

  private static List<Integer> acceptedFailures(PatchRunStatus status) {
    List<Integer> accepted = new ArrayList<>();
    if (status.getWaves() != null) {
      for (WaveProgress w : status.getWaves()) {
        accepted.add(w.getAcceptedFailures() == null ? 0 : w.getAcceptedFailures());
      }
    }
    return accepted;
  }

  private static RolloutProgress progress(String run, Plan plan) {
    RolloutProgress p = new RolloutProgress();
    p.setRun(run);
    p.setWave(plan.currentWave() < 0 ? null : plan.waves().get(plan.currentWave()).name());
    int targets = 0, inProgress = 0, succeeded = 0, failed = 0;
    for (Plan.WaveCounts c : plan.waves()) {
      targets += c.targets();
      inProgress += c.assigned();
      succeeded += c.succeeded();
      failed += c.failed();
    }
    p.setTargets(targets);
    p.setInProgress(inProgress + plan.admit().size());
    p.setSucceeded(succeeded);
    p.setFailed(failed);
    return p;
  }

  private static RunReference reference(PatchRun run) {
    return run == null ? null : reference(run, run.getStatus());
  }

  private static RunReference reference(PatchRun run, PatchRunStatus status) {
    RunReference r = new RunReference();
    r.setName(run.getMetadata().getName());
    r.setPhase(status == null ? null : status.getPhase());
    r.setFinishedAt(status == null ? null : status.getFinishedAt());
    return r;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
