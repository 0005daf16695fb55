package io.patchwarden.operator.inventory;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.support.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reports whether each ManagedEndpoint is enrolled and whether it is stale (not seen within the
 * shortest {@code staleAfter} of the groups selecting it), re-reconciling exactly when it would
 * turn stale. Writes only its own status fields (conditions): inventory and lastSeen are the
 * gateway's.
 */
@ControllerConfiguration(
    name = ManagedEndpointReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ManagedEndpointReconciler.RelevantChange.class))
public class ManagedEndpointReconciler implements Reconciler<ManagedEndpoint> {
  public static final String NAME = "managedendpoint";

  private final StatusWriter statusWriter;
  private final Clock clock;
  private volatile InformerEventSource<EndpointGroup, ManagedEndpoint> groups;

  public ManagedEndpointReconciler(StatusWriter statusWriter, Clock clock) {
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  /**
   * Reconcile on changes that can change the answer: spec, labels, enrollment, and a check-in of an
   * endpoint that was stale. Routine lastSeen refreshes and our own status writes are ignored; the
   * scheduled reconcile at the stale instant reads the latest lastSeen anyway.
   */
  public static final class RelevantChange implements OnUpdateFilter<ManagedEndpoint> {
    @Override
    public boolean accept(ManagedEndpoint updated, ManagedEndpoint old) {
      return !Objects.equals(
              updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
          || !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels())
          || !Objects.equals(credential(updated), credential(old))
          || (wasStale(old) && !Objects.equals(lastSeen(updated), lastSeen(old)));
    }

    private static String credential(ManagedEndpoint e) {
      return e.getStatus() == null || e.getStatus().getCredential() == null
          ? null
          : e.getStatus().getCredential().getSha256();
    }

    private static String lastSeen(ManagedEndpoint e) {
      return e.getStatus() == null ? null : e.getStatus().getLastSeen();
    }

    private static boolean wasStale(ManagedEndpoint e) {
      return e.getStatus() == null
          || e.getStatus()
              .condition(ConditionType.Stale.name())
              .map(c -> c.getStatus() != ConditionStatus.FALSE)
              .orElse(true);
    }
  }

  @Override
  public List<EventSource<?, ManagedEndpoint>> prepareEventSources(
      EventSourceContext<ManagedEndpoint> context) {
    var endpoints = context.getPrimaryCache();
    groups =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointGroup.class, ManagedEndpoint.class)
                .withNamespacesInheritedFromController()
                // A group's change can change which endpoints it holds and their staleAfter.
                .withSecondaryToPrimaryMapper(
                    (EndpointGroup g) ->
                        g.getSpec() == null || g.getSpec().getEndpointSelector() == null
                            ? Set.of()
                            : endpoints
                                .list(g.getMetadata().getNamespace())
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (ManagedEndpoint e) ->
                        groupsOf(e).map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(groups);
  }

  @Override
  public UpdateControl<ManagedEndpoint> reconcile(
      ManagedEndpoint endpoint, Context<ManagedEndpoint> context) {
    Instant now = clock.instant();
    ManagedEndpointStatus current = endpoint.getStatus();
    long generation = endpoint.getMetadata().getGeneration();
    var conditions =
        new StatusAggregator(current == null ? null : current.getConditions(), generation, now);

    StaleAfter staleAfter = staleAfter(endpoint);
    String lastSeen = current == null ? null : current.getLastSeen();
    Optional<Instant> staleAt = Staleness.staleSince(lastSeen, staleAfter.duration());
    if (current == null || current.getCredential() == null) {
      conditions.set(
          ConditionType.Ready.name(),
          ConditionStatus.FALSE,
          Reason.NotEnrolled.name(),
          "The agent has not completed enrollment.");
    } else {
      conditions.ready(Reason.SpecValid, "Enrolled; last seen " + lastSeen + ".");
    }
    if (Staleness.isStale(lastSeen, staleAfter.duration(), now)) {
      conditions.set(
          ConditionType.Stale.name(),
          ConditionStatus.TRUE,
          Reason.NotSeenRecently.name(),
          (lastSeen == null ? "Never seen" : "Not seen since " + lastSeen)
              + "; stale after "
              + Durations.format(staleAfter.duration())
              + " ("
              + staleAfter.source()
              + ").");
    } else {
      conditions.set(
          ConditionType.Stale.name(),
          ConditionStatus.FALSE,
          Reason.SeenRecently.name(),
          "Seen within "
              + Durations.format(staleAfter.duration())
              + " ("
              + staleAfter.source()
              + ").");
    }

    ManagedEndpointStatus owned = new ManagedEndpointStatus();
    owned.setObservedGeneration(generation);
    owned.setConditions(conditions.build());
    UpdateControl<ManagedEndpoint> control =
        statusWriter.patchOwnedIfChanged(
            endpoint,
            owned,
            ManagedEndpointStatus.class,
            ManagedEndpoint::new,
            context.getClient());
    staleAt
        .filter(at -> at.isAfter(now))
        .ifPresent(at -> control.rescheduleAfter(Duration.between(now, at).plusMillis(200)));
    return control;
  }

  /** The shortest staleAfter of the valid groups selecting the endpoint, and which group it is. */
  private StaleAfter staleAfter(ManagedEndpoint endpoint) {
    return groupsOf(endpoint)
        .map(
            g ->
                new StaleAfter(
                    Staleness.staleAfterOrNull(g.getSpec().getStaleAfter()),
                    "group " + g.getMetadata().getName()))
        .filter(s -> s.duration() != null)
        .min(Comparator.comparing(StaleAfter::duration))
        .orElse(new StaleAfter(Staleness.DEFAULT_STALE_AFTER, "default; no group selects it"));
  }

  private record StaleAfter(Duration duration, String source) {}

  private java.util.stream.Stream<EndpointGroup> groupsOf(ManagedEndpoint endpoint) {
    Map<String, String> labels = endpoint.getMetadata().getLabels();
    return groups.list(endpoint.getMetadata().getNamespace(), g -> selects(g, labels));
  }

  private static boolean selects(EndpointGroup group, Map<String, String> labels) {
    if (group.getSpec() == null || group.getSpec().getEndpointSelector() == null) {
      return false;
    }
    try {
      return Selectors.from(group.getSpec().getEndpointSelector()).matches(labels);
    } catch (IllegalArgumentException e) {
      return false; // an invalid group selects nothing; it reports its own problem
    }
  }
}
