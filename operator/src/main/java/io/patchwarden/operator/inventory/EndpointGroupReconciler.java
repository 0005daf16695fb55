package io.patchwarden.operator.inventory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupSpec;
import io.patchwarden.api.group.EndpointGroupStatus;
import io.patchwarden.api.group.OsFamilyCount;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates EndpointGroups, counts the ManagedEndpoints and Nodes they select and reports Ready.
 *
 * <p>Members come from informer caches (no LIST per reconcile). A ManagedEndpoint change
 * re-triggers the groups of its namespace that have an endpointSelector, a Node change every group
 * that has a nodeSelector; the groups come from the primary cache. Only a change of labels
 * re-triggers, since only labels decide membership.
 */
@ControllerConfiguration(name = EndpointGroupReconciler.NAME)
public class EndpointGroupReconciler implements Reconciler<EndpointGroup> {
  public static final String NAME = "endpointgroup";

  private final StatusWriter statusWriter;
  private final Clock clock;
  // Set once in prepareEventSources, before the controller starts reconciling.
  private volatile InformerEventSource<ManagedEndpoint, EndpointGroup> endpoints;
  private volatile InformerEventSource<Node, EndpointGroup> nodes;

  private final GroupGauges gauges;

  public EndpointGroupReconciler(StatusWriter statusWriter, Clock clock, GroupGauges gauges) {
    this.statusWriter = statusWriter;
    this.clock = clock;
    this.gauges = gauges;
  }

  @Override
  public List<EventSource<?, EndpointGroup>> prepareEventSources(
      EventSourceContext<EndpointGroup> context) {
    IndexerResourceCache<EndpointGroup> groups = context.getPrimaryCache();
    gauges.observe(groups);
    // ManagedEndpoints: only in the namespaces the controller watches, as groups select within
    // their own namespace. The primary-to-secondary mapper makes getSecondaryResources return
    // exactly the members (and spares JOSDK's default reverse index).
    // Only changes that can move the counts re-trigger (see censusMayChange).
    endpoints =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ManagedEndpoint.class, EndpointGroup.class)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    (ManagedEndpoint e) ->
                        ids(
                            groups.list(
                                e.getMetadata().getNamespace(),
                                g -> hasSelector(g, EndpointGroupSpec::getEndpointSelector))))
                .withPrimaryToSecondaryMapper(
                    (EndpointGroup g) -> memberIds(() -> endpointMembers(g)))
                .withOnUpdateFilter(EndpointGroupReconciler::censusMayChange)
                .build(),
            context);
    // Nodes are cluster-scoped: watch them in all namespaces (i.e. cluster-wide) whatever the
    // controller watches, and do not follow the controller's namespace changes.
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, EndpointGroup.class)
                .withWatchAllNamespaces()
                .withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper(
                    (Node n) ->
                        ids(groups.list(g -> hasSelector(g, EndpointGroupSpec::getNodeSelector))))
                .withPrimaryToSecondaryMapper((EndpointGroup g) -> memberIds(() -> nodeMembers(g)))
                .withOnUpdateFilter(EndpointGroupReconciler::labelsChanged)
                .build(),
            context);
    return List.of(endpoints, nodes);
  }

  @Override
  public UpdateControl<EndpointGroup> reconcile(
      EndpointGroup group, Context<EndpointGroup> context) {
    Instant now = clock.instant();
    List<SpecProblem> problems = new ArrayList<>(EndpointGroupValidator.validate(group.getSpec()));
    Membership membership = null;
    EndpointCensus census = null;
    if (problems.isEmpty()) {
      try {
        List<ManagedEndpoint> members = list(endpointMembers(group));
        membership =
            new Membership(count(nodeMembers(group)), members == null ? null : members.size());
        census = members == null ? null : census(members, group, now);
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem(Reason.InvalidSelector, "spec", e.getMessage()));
      }
    }

    long generation = group.getMetadata().getGeneration();
    EndpointGroupStatus previous = group.getStatus();
    var conditions =
        new StatusAggregator(previous == null ? null : previous.getConditions(), generation, now);
    EndpointGroupStatus status = new EndpointGroupStatus();
    if (problems.isEmpty()) {
      conditions.ready(Reason.SpecValid, membership.describe());
      status.setNodes(membership.nodes());
      status.setEndpoints(membership.endpoints());
      if (census != null) {
        status.setStale(census.stale());
        status.setOsFamilies(osFamilies(census));
      }
    } else {
      conditions.invalid(problems);
    }
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    UpdateControl<EndpointGroup> control =
        statusWriter.patchIfChanged(group, status, EndpointGroup::new);
    if (census != null) {
      // Count again when the next member turns stale, and at least every few minutes so that
      // members coming back are counted even when their check-in was filtered out.
      Instant recount = now.plus(RECOUNT_AT_LEAST_EVERY);
      if (census.nextStale().isPresent() && census.nextStale().get().isBefore(recount)) {
        recount = census.nextStale().get();
      }
      control.rescheduleAfter(Duration.between(now, recount).plusMillis(200));
    }
    return control;
  }

  private static EndpointCensus census(
      List<ManagedEndpoint> members, EndpointGroup group, Instant now) {
    Duration staleAfter = Staleness.staleAfter(group.getSpec().getStaleAfter());
    return EndpointCensus.of(
        members.stream()
            .map(
                e ->
                    new EndpointCensus.Member(
                        e.getStatus() == null || e.getStatus().getInventory() == null
                            ? null
                            : e.getStatus().getInventory().getOsFamily(),
                        e.getStatus() == null ? null : e.getStatus().getLastSeen()))
            .toList(),
        staleAfter,
        now);
  }

  /** Null rather than empty: no endpoint has reported yet. */
  private static List<OsFamilyCount> osFamilies(EndpointCensus census) {
    if (census.byOsFamily().isEmpty()) {
      return null;
    }
    return census.byOsFamily().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new OsFamilyCount(e.getKey(), e.getValue()))
        .toList();
  }

  private static <T> List<T> list(Stream<T> members) {
    return members == null ? null : members.toList();
  }

  /** The group's ManagedEndpoints (in its namespace), or null without an endpointSelector. */
  private Stream<ManagedEndpoint> endpointMembers(EndpointGroup group) {
    Selector selector = selector(group, EndpointGroupSpec::getEndpointSelector);
    if (selector == null) {
      return null;
    }
    return endpoints.list(
        group.getMetadata().getNamespace(), e -> selector.matches(e.getMetadata().getLabels()));
  }

  /** The group's Nodes, or null without a nodeSelector. */
  private Stream<Node> nodeMembers(EndpointGroup group) {
    Selector selector = selector(group, EndpointGroupSpec::getNodeSelector);
    if (selector == null) {
      return null;
    }
    return nodes.list(n -> selector.matches(n.getMetadata().getLabels()));
  }

  private static Selector selector(
      EndpointGroup group, Function<EndpointGroupSpec, LabelSelector> field) {
    if (group.getSpec() == null) {
      return null;
    }
    LabelSelector selector = field.apply(group.getSpec());
    return selector == null ? null : Selectors.from(selector);
  }

  private static boolean hasSelector(
      EndpointGroup group, Function<EndpointGroupSpec, LabelSelector> field) {
    return group.getSpec() != null && field.apply(group.getSpec()) != null;
  }

  private static Integer count(Stream<?> members) {
    return members == null ? null : Math.toIntExact(members.count());
  }

  private static Set<ResourceID> ids(Stream<? extends HasMetadata> objects) {
    return objects == null
        ? Set.of()
        : objects.map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The members' ids; none for a group whose selector cannot be converted (it is not Ready). */
  private static Set<ResourceID> memberIds(Supplier<Stream<? extends HasMetadata>> members) {
    try {
      return ids(members.get());
    } catch (IllegalArgumentException e) {
      return Set.of();
    }
  }

  /** How long a group may go without re-counting (staleness of returning members). */
  static final Duration RECOUNT_AT_LEAST_EVERY = Duration.ofMinutes(5);

  /**
   * A ManagedEndpoint change matters to its groups when its labels (membership), its OS family or
   * its staleness may have changed. Routine lastSeen refreshes (every few minutes for every
   * endpoint) are ignored; the periodic recount covers the rest.
   */
  private static boolean censusMayChange(ManagedEndpoint updated, ManagedEndpoint old) {
    return labelsChanged(updated, old)
        || !Objects.equals(osFamily(updated), osFamily(old))
        || cameBack(updated, old);
  }

  private static Object osFamily(ManagedEndpoint e) {
    return e.getStatus() == null || e.getStatus().getInventory() == null
        ? null
        : e.getStatus().getInventory().getOsFamily();
  }

  private static boolean cameBack(ManagedEndpoint updated, ManagedEndpoint old) {
    return Staleness.cameBack(
        updated.getStatus() == null ? null : updated.getStatus().getLastSeen(),
        old.getStatus() == null ? null : old.getStatus().getLastSeen());
  }

  private static <R extends HasMetadata> boolean labelsChanged(R updated, R old) {
    return !Objects.equals(labels(updated), labels(old));
  }

  private static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
