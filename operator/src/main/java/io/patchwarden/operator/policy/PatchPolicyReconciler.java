package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.inventory.Selector;
import io.patchwarden.operator.inventory.Selectors;
import io.patchwarden.operator.inventory.Staleness;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
  static final String GROUP_INDEX = "patchwarden.io/referenced-groups";
  static final String WINDOW_INDEX = "patchwarden.io/referenced-windows";
  static final String CATALOG_INDEX = "patchwarden.io/referenced-catalog";

  /** Re-evaluate at least this often, whatever happens: cheap, and writes only on change. */
  static final Duration EVALUATE_AT_LEAST_EVERY = Duration.ofMinutes(5);

  /** A lastSeen jump bigger than this means the endpoint was away: it may no longer be stale. */
  private static final Duration ABSENCE = Duration.ofMinutes(10);

  private final StatusWriter statusWriter;
  private final Clock clock;
  private final PolicyGauges gauges;
  private final ComplianceWriter writer;
  private final MeterRegistry registry;
  private final Targets targets = new Targets();
  private final KnownExploitedCatalogs catalogs = new KnownExploitedCatalogs();
  // Set once in prepareEventSources, before the controller starts reconciling.
  private volatile InformerEventSource<ManagedEndpoint, PatchPolicy> endpoints;
  private volatile InformerEventSource<Node, PatchPolicy> nodes;
  private volatile InformerEventSource<ConfigMap, PatchPolicy> configMaps;

  public PatchPolicyReconciler(
      StatusWriter statusWriter,
      Clock clock,
      PolicyGauges gauges,
      ComplianceWriter writer,
      MeterRegistry registry) {
    this.statusWriter = statusWriter;
    this.clock = clock;
    this.gauges = gauges;
    this.writer = writer;
    this.registry = registry;
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
    List<SpecProblem> problems = PatchPolicyValidator.validate(spec, groups.keySet(), windows);

    long generation = policy.getMetadata().getGeneration();
    PatchPolicyStatus previous = policy.getStatus();
    var conditions =
        new StatusAggregator(previous == null ? null : previous.getConditions(), generation, now);
    PatchPolicyStatus status = new PatchPolicyStatus();
    Duration nextPass = EVALUATE_AT_LEAST_EVERY;
    if (onlyMissingReferences(problems)) {
      // A missing group or window is reported, and the targets of the others still evaluated.
      Evaluation evaluation = evaluate(policy, groups, now, conditions);
      writer.write(name, evaluation.changes());
      PolicyStatuses.fill(status, evaluation.summary());
      PolicyStatuses.compliantCondition(conditions, evaluation.summary());
      gauges.put(namespace, name, evaluation.summary());
      nextPass = until(now, evaluation.summary().nextChange());
    } else {
      gauges.remove(namespace, name);
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

  /** Removes this policy's entries from its endpoints and its metrics. */
  @Override
  public DeleteControl cleanup(PatchPolicy policy, Context<PatchPolicy> context)
      throws ComplianceWriteException {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    List<ComplianceWriter.Change> removals = new ArrayList<>();
    endpoints
        .list(namespace, e -> ComplianceWriter.entry(e, name) != null)
        .forEach(e -> removals.add(new ComplianceWriter.Change(e, null)));
    writer.write(name, removals);
    gauges.remove(namespace, name);
    return DeleteControl.defaultDelete();
  }

  /** The result of one pass: the summary and the endpoint entries to write. */
  private record Evaluation(ComplianceSummary summary, List<ComplianceWriter.Change> changes) {}

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
    approvalCondition(conditions, approval, now);
    ComplianceEvaluator evaluator =
        new ComplianceEvaluator(
            approval, DeadlineRules.from(spec.getDeadlines()), catalogue(policy, conditions), now);
    NodeCompliance nodeRules =
        NodeCompliance.from(spec.getNodes() == null ? null : spec.getNodes().getTarget());

    Members members = members(spec, groups, namespace);
    List<ManagedEndpoint> endpointTargets = new ArrayList<>(members.endpoints().keySet());
    List<TargetFacts> facts = new ArrayList<>(endpointTargets.size());
    Set<String> uids = new HashSet<>();
    for (ManagedEndpoint endpoint : endpointTargets) {
      uids.add(endpoint.getMetadata().getUid());
      facts.add(targets.endpoint(endpoint, members.endpoints().get(endpoint)));
    }
    List<TargetEvaluation> results = new ArrayList<>(evaluator.evaluateAll(facts));
    List<ComplianceWriter.Change> changes = new ArrayList<>();
    for (int i = 0; i < endpointTargets.size(); i++) {
      ManagedEndpoint endpoint = endpointTargets.get(i);
      var desired = PolicyStatuses.entry(name, results.get(i));
      if (!ComplianceWriter.upToDate(endpoint, name, desired)) {
        changes.add(new ComplianceWriter.Change(endpoint, desired));
      }
    }
    for (Map.Entry<Node, Duration> n : members.nodes().entrySet()) {
      results.add(NodeCompliance.evaluate(nodeRules, Targets.node(n.getKey(), n.getValue()), now));
    }
    // Endpoints that left the policy's groups lose its entry.
    Set<String> live = new HashSet<>();
    endpoints
        .list(namespace)
        .forEach(
            e -> {
              live.add(e.getMetadata().getUid());
              if (!uids.contains(e.getMetadata().getUid())
                  && ComplianceWriter.entry(e, name) != null) {
                changes.add(new ComplianceWriter.Change(e, null));
              }
            });
    targets.retainOnly(namespace, live);
    return new Evaluation(ComplianceSummary.of(results, now), changes);
  }

  private static void approvalCondition(
      StatusAggregator conditions, ApprovalRules approval, Instant now) {
    List<ApprovalRules.Warning> warnings =
        approval.warnings(LocalDate.ofInstant(now, ZoneOffset.UTC));
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
        catalogs.load(ref, cm -> configMaps.get(new ResourceID(cm, namespace)));
    conditions.set(
        ConditionType.KnownExploitedCatalogValid.name(),
        loaded.valid() ? ConditionStatus.TRUE : ConditionStatus.FALSE,
        loaded.reason().name(),
        loaded.message());
    return loaded.valid() ? loaded.catalog() : KnownExploitedCatalog.EMPTY;
  }

  /**
   * The policy's targets with the staleAfter that applies to each: the shortest of the policy's
   * groups that select it (a target in two groups is one target). Groups whose selector cannot be
   * read select nothing; their own status says why.
   */
  private record Members(Map<ManagedEndpoint, Duration> endpoints, Map<Node, Duration> nodes) {}

  private Members members(
      PatchPolicySpec spec, Map<String, EndpointGroup> groups, String namespace) {
    Map<String, ManagedEndpoint> endpointByUid = new LinkedHashMap<>();
    Map<String, Duration> endpointStale = new LinkedHashMap<>();
    Map<String, Node> nodeByName = new LinkedHashMap<>();
    Map<String, Duration> nodeStale = new LinkedHashMap<>();
    for (String groupName : spec.getGroups()) {
      EndpointGroup group = groups.get(groupName);
      if (group == null || group.getSpec() == null) {
        continue;
      }
      Duration staleAfter = Staleness.staleAfter(group.getSpec().getStaleAfter());
      Selector endpointSelector = selector(group.getSpec().getEndpointSelector());
      if (endpointSelector != null) {
        endpoints
            .list(namespace, e -> endpointSelector.matches(e.getMetadata().getLabels()))
            .forEach(
                e -> {
                  endpointByUid.put(e.getMetadata().getUid(), e);
                  endpointStale.merge(
                      e.getMetadata().getUid(), staleAfter, PatchPolicyReconciler::shorter);
                });
      }
      Selector nodeSelector = selector(group.getSpec().getNodeSelector());
      if (nodeSelector != null) {
        nodes
            .list(n -> nodeSelector.matches(n.getMetadata().getLabels()))
            .forEach(
                n -> {
                  nodeByName.put(n.getMetadata().getName(), n);
                  nodeStale.merge(
                      n.getMetadata().getName(), staleAfter, PatchPolicyReconciler::shorter);
                });
      }
    }
    Map<ManagedEndpoint, Duration> e = new LinkedHashMap<>();
    endpointByUid.forEach((uid, endpoint) -> e.put(endpoint, endpointStale.get(uid)));
    Map<Node, Duration> n = new LinkedHashMap<>();
    nodeByName.forEach((nodeName, node) -> n.put(node, nodeStale.get(nodeName)));
    return new Members(e, n);
  }

  private static Selector selector(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    try {
      return Selectors.from(selector);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
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

  // ---- event sources -------------------------------------------------------------------------

  @Override
  public List<EventSource<?, PatchPolicy>> prepareEventSources(
      EventSourceContext<PatchPolicy> context) {
    IndexerResourceCache<PatchPolicy> policies = context.getPrimaryCache();
    policies.addIndexer(GROUP_INDEX, p -> indexKeys(p, referencedGroups(p.getSpec())));
    policies.addIndexer(WINDOW_INDEX, p -> indexKeys(p, referencedWindows(p.getSpec())));
    policies.addIndexer(CATALOG_INDEX, p -> indexKeys(p, referencedCatalog(p.getSpec())));
    // Endpoints: every policy of the endpoint's namespace may target it (membership is decided
    // in the pass). No primary-to-secondary index: the pass lists the cache itself.
    endpoints =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ManagedEndpoint.class, PatchPolicy.class)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    (ManagedEndpoint e) -> ids(policies.list(e.getMetadata().getNamespace())))
                .withPrimaryToSecondaryMapper((PatchPolicy p) -> Set.of())
                .withOnUpdateFilter(PatchPolicyReconciler::complianceMayChange)
                .build(),
            context);
    // Nodes are cluster-scoped; any policy may target them through a group's nodeSelector.
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, PatchPolicy.class)
                .withWatchAllNamespaces()
                .withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper((Node n) -> ids(policies.list()))
                .withPrimaryToSecondaryMapper((PatchPolicy p) -> Set.of())
                .withOnUpdateFilter(PatchPolicyReconciler::nodeComplianceMayChange)
                .build(),
            context);
    configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, PatchPolicy.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(KnownExploitedCatalogs.LABEL + "=true")
                .withSecondaryToPrimaryMapper(
                    (ConfigMap cm) ->
                        ids(
                            policies
                                .byIndex(CATALOG_INDEX, key(cm.getMetadata().getNamespace(), cm))
                                .stream()))
                .withPrimaryToSecondaryMapper(
                    (PatchPolicy p) ->
                        referencedCatalog(p.getSpec()).stream()
                            .map(n -> new ResourceID(n, p.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(
        referenceSource(
            EndpointGroup.class, GROUP_INDEX, PatchPolicyReconciler::referencedGroups, context),
        referenceSource(
            MaintenanceWindow.class,
            WINDOW_INDEX,
            PatchPolicyReconciler::referencedWindows,
            context),
        endpoints,
        nodes,
        configMaps);
  }

  /**
   * An endpoint change matters when its labels (membership), its inventory, its last result or its
   * presence (back after an absence) changed — not for routine lastSeen refreshes or the compliance
   * entries policies write themselves; the periodic pass covers the rest.
   */
  static boolean complianceMayChange(ManagedEndpoint updated, ManagedEndpoint old) {
    ManagedEndpointStatus u = updated.getStatus();
    ManagedEndpointStatus o = old.getStatus();
    return !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels())
        || !io.patchwarden.operator.gateway.Inventories.sameMachineState(
            u == null ? null : u.getInventory(), o == null ? null : o.getInventory())
        || !Objects.equals(resultKey(u), resultKey(o))
        || cameBack(u == null ? null : u.getLastSeen(), o == null ? null : o.getLastSeen());
  }

  /** A new result always comes with its run and report time. */
  private static List<String> resultKey(ManagedEndpointStatus status) {
    if (status == null || status.getLastResult() == null) {
      return null;
    }
    return Arrays.asList(status.getLastResult().getRun(), status.getLastResult().getReportedAt());
  }

  private static boolean cameBack(String updated, String old) {
    Optional<Instant> after = io.patchwarden.operator.support.Timestamps.parse(updated);
    Optional<Instant> before = io.patchwarden.operator.support.Timestamps.parse(old);
    return after.isPresent()
        && (before.isEmpty() || Duration.between(before.get(), after.get()).compareTo(ABSENCE) > 0);
  }

  /** A node change matters when its labels, its nodeInfo or its readiness changed. */
  static boolean nodeComplianceMayChange(Node updated, Node old) {
    return !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels())
        || !Objects.equals(nodeInfo(updated), nodeInfo(old))
        || !Objects.equals(ready(updated), ready(old));
  }

  private static Object nodeInfo(Node n) {
    return n.getStatus() == null ? null : n.getStatus().getNodeInfo();
  }

  private static String ready(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return null;
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  /**
   * An informer over a referenced kind: maps a changed object to the policies that name it (through
   * an index on the policy cache), and a policy to the objects it names, so that
   * getSecondaryResources returns exactly the referenced objects that exist.
   */
  private static <R extends HasMetadata> InformerEventSource<R, PatchPolicy> referenceSource(
      Class<R> kind,
      String index,
      Function<PatchPolicySpec, Set<String>> referenced,
      EventSourceContext<PatchPolicy> context) {
    IndexerResourceCache<PatchPolicy> policies = context.getPrimaryCache();
    var config =
        InformerEventSourceConfiguration.from(kind, PatchPolicy.class)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                (R object) ->
                    ids(
                        policies
                            .byIndex(index, key(object.getMetadata().getNamespace(), object))
                            .stream()))
            .withPrimaryToSecondaryMapper(
                (PatchPolicy p) ->
                    referenced.apply(p.getSpec()).stream()
                        .map(name -> new ResourceID(name, p.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(config, context);
  }

  static Set<String> referencedGroups(PatchPolicySpec spec) {
    if (spec == null) {
      return Set.of();
    }
    Stream<String> direct = spec.getGroups() == null ? Stream.empty() : spec.getGroups().stream();
    Stream<String> waves =
        spec.getRollout() == null || spec.getRollout().getWaves() == null
            ? Stream.empty()
            : spec.getRollout().getWaves().stream().map(Wave::getGroup);
    return Stream.concat(direct, waves).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  static Set<String> referencedWindows(PatchPolicySpec spec) {
    return spec == null || spec.getWindows() == null ? Set.of() : Set.copyOf(spec.getWindows());
  }

  static Set<String> referencedCatalog(PatchPolicySpec spec) {
    return spec == null || spec.getKnownExploitedCatalog() == null
        ? Set.of()
        : Set.of(spec.getKnownExploitedCatalog().getConfigMap());
  }

  private static List<String> indexKeys(PatchPolicy policy, Set<String> names) {
    List<String> keys = new ArrayList<>(names.size());
    for (String name : names) {
      keys.add(policy.getMetadata().getNamespace() + "/" + name);
    }
    return keys;
  }

  private static String key(String namespace, HasMetadata object) {
    return namespace + "/" + object.getMetadata().getName();
  }

  private static Set<ResourceID> ids(Stream<? extends HasMetadata> objects) {
    return objects.map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static Set<String> names(Set<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static Map<String, EndpointGroup> byName(Set<EndpointGroup> groups) {
    return groups.stream().collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
  }
}
