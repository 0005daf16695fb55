package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.inventory.Selector;
import io.patchwarden.operator.inventory.Selectors;
import io.patchwarden.operator.inventory.Staleness;
import io.patchwarden.operator.node.NodeJobs;
import io.patchwarden.operator.rollout.Rollouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a policy pass reads, all from informer caches: the groups and windows a policy references
 * (through JOSDK's secondary resources), the ManagedEndpoints and Nodes its groups may select, and
 * the labelled ConfigMaps holding known-exploited catalogues — with the mappings that decide which
 * policies a change re-triggers.
 */
final class PolicyCaches {
  static final String GROUP_INDEX = "patchwarden.io/referenced-groups";
  static final String WINDOW_INDEX = "patchwarden.io/referenced-windows";
  static final String CATALOG_INDEX = "patchwarden.io/referenced-catalog";
  static final String NODE_POLICY_INDEX = "patchwarden.io/node-policy";

  private final InformerEventSource<ManagedEndpoint, PatchPolicy> endpoints;
  private final InformerEventSource<Node, PatchPolicy> nodes;
  private final InformerEventSource<ConfigMap, PatchPolicy> configMaps;
  private final InformerEventSource<PatchRun, PatchPolicy> runs;
  private final InformerEventSource<Job, PatchPolicy> jobs;
  private final List<EventSource<?, PatchPolicy>> eventSources;

  /**
   * @param jobNamespace where node patch and reboot Jobs run
   */
  PolicyCaches(EventSourceContext<PatchPolicy> context, String jobNamespace) {
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
                .withOnUpdateFilter(PolicyCaches::complianceMayChange)
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
                .withOnUpdateFilter(PolicyCaches::nodeComplianceMayChange)
                .build(),
            context);
    // The nodes a policy's runs are patching, by their patchwarden.io/policy annotation.
    nodes.addIndexers(Map.of(NODE_POLICY_INDEX, PolicyCaches::nodePolicy));
    // Node Jobs: a finished Job moves its node on; the annotation names the policy.
    jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, PatchPolicy.class)
                .withNamespaces(Set.of(jobNamespace))
                .withFollowControllerNamespacesChanges(false)
                .withLabelSelector(NodeJobs.MANAGED_BY + "=" + NodeJobs.MANAGED_BY_VALUE)
                .withSecondaryToPrimaryMapper(PolicyCaches::jobPolicy)
                .withPrimaryToSecondaryMapper((PatchPolicy p) -> Set.of())
                .withOnUpdateFilter((Job updated, Job old) -> jobFinished(updated, old))
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
    // The policy's runs: only cached, to be read in the pass; their own status writes trigger
    // nothing (the pass wrote them).
    runs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(PatchRun.class, PatchPolicy.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(Rollouts.POLICY_LABEL)
                .withSecondaryToPrimaryMapper(
                    (PatchRun r) ->
                        Set.of(
                            new ResourceID(
                                r.getMetadata().getLabels().get(Rollouts.POLICY_LABEL),
                                r.getMetadata().getNamespace())))
                .withPrimaryToSecondaryMapper((PatchPolicy p) -> Set.of())
                .withGenericFilter(r -> false)
                .build(),
            context);
    eventSources =
        List.of(
            referenceSource(
                EndpointGroup.class, GROUP_INDEX, PolicyCaches::referencedGroups, context),
            referenceSource(
                MaintenanceWindow.class, WINDOW_INDEX, PolicyCaches::referencedWindows, context),
            endpoints,
            nodes,
            configMaps,
            runs,
            jobs);
  }

  private static List<String> nodePolicy(Node node) {
    Map<String, String> a = node.getMetadata().getAnnotations();
    String policy = a == null ? null : a.get(NodeAnnotations.POLICY);
    return policy == null ? List.of() : List.of(policy);
  }

  private static Set<ResourceID> jobPolicy(Job job) {
    Map<String, String> a = job.getMetadata().getAnnotations();
    String policy = a == null ? null : a.get(NodeJobs.POLICY_ANNOTATION);
    int slash = policy == null ? -1 : policy.indexOf('/');
    if (slash < 0) {
      return Set.of();
    }
    return Set.of(new ResourceID(policy.substring(slash + 1), policy.substring(0, slash)));
  }

  /** Only a Job's outcome matters to its policy. */
  static boolean jobFinished(Job updated, Job old) {
    return !Objects.equals(conditions(updated), conditions(old));
  }

  private static Object conditions(Job job) {
    return job.getStatus() == null ? null : job.getStatus().getConditions();
  }

  /** The nodes whose record names the policy ({@code <namespace>/<policy>}). */
  List<Node> nodesOf(String policyId) {
    return nodes.byIndex(NODE_POLICY_INDEX, policyId);
  }

  /** A node Job by name, from the cache. */
  Job job(String namespace, String name) {
    return jobs.get(new ResourceID(name, namespace)).orElse(null);
  }

  /** The PatchRuns of a policy. */
  List<PatchRun> runsOf(String namespace, String policy) {
    return runs.list(
            namespace, r -> policy.equals(r.getMetadata().getLabels().get(Rollouts.POLICY_LABEL)))
        .toList();
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
        || Staleness.cameBack(
            u == null ? null : u.getLastSeen(), o == null ? null : o.getLastSeen());
  }

  /** A new result always comes with its run and report time. */
  private static List<String> resultKey(ManagedEndpointStatus status) {
    if (status == null || status.getLastResult() == null) {
      return null;
    }
    return Arrays.asList(status.getLastResult().getRun(), status.getLastResult().getReportedAt());
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

  List<EventSource<?, PatchPolicy>> eventSources() {
    return eventSources;
  }

  /** The ManagedEndpoints of a namespace. */
  Stream<ManagedEndpoint> endpointsIn(String namespace) {
    return endpoints.list(namespace);
  }

  /** A catalogue ConfigMap (labelled) by name. */
  Optional<ConfigMap> configMap(String name, String namespace) {
    return configMaps.get(new ResourceID(name, namespace));
  }

  /**
   * The policy's targets with the staleAfter that applies to each: the shortest of the policy's
   * groups that select it (a target in two groups is one target). Groups whose selector or
   * staleAfter cannot be read select nothing; their own status says why.
   */
  record Members(Map<ManagedEndpoint, Duration> endpoints, Map<Node, Duration> nodes) {}

  Members members(PatchPolicySpec spec, Map<String, EndpointGroup> groups, String namespace) {
    Map<String, ManagedEndpoint> endpointByUid = new LinkedHashMap<>();
    Map<String, Duration> endpointStale = new LinkedHashMap<>();
    Map<String, Node> nodeByName = new LinkedHashMap<>();
    Map<String, Duration> nodeStale = new LinkedHashMap<>();
    for (String groupName : spec.getGroups()) {
      EndpointGroup group = groups.get(groupName);
      if (group == null || group.getSpec() == null) {
        continue;
      }
      Duration staleAfter = Staleness.staleAfterOrNull(group.getSpec().getStaleAfter());
      if (staleAfter == null) {
        continue; // an invalid staleAfter: the group selects nothing, as an invalid selector
      }
      Selector endpointSelector = Selectors.orNull(group.getSpec().getEndpointSelector());
      if (endpointSelector != null) {
        endpoints
            .list(namespace, e -> endpointSelector.matches(e.getMetadata().getLabels()))
            .forEach(
                e -> {
                  endpointByUid.put(e.getMetadata().getUid(), e);
                  endpointStale.merge(e.getMetadata().getUid(), staleAfter, PolicyCaches::shorter);
                });
      }
      Selector nodeSelector = Selectors.orNull(group.getSpec().getNodeSelector());
      if (nodeSelector != null) {
        nodes
            .list(n -> nodeSelector.matches(n.getMetadata().getLabels()))
            .forEach(
                n -> {
                  nodeByName.put(n.getMetadata().getName(), n);
                  nodeStale.merge(n.getMetadata().getName(), staleAfter, PolicyCaches::shorter);
                });
      }
    }
    Map<ManagedEndpoint, Duration> e = new LinkedHashMap<>();
    endpointByUid.forEach((uid, endpoint) -> e.put(endpoint, endpointStale.get(uid)));
    Map<Node, Duration> n = new LinkedHashMap<>();
    nodeByName.forEach((nodeName, node) -> n.put(node, nodeStale.get(nodeName)));
    return new Members(e, n);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
