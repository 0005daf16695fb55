package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.PatchPolicyStatus;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates PatchPolicies, including that the groups and windows they reference exist, and reports
 * Ready. Groups and windows come from informer caches (no LIST per reconcile); a change to one of
 * them re-triggers exactly the policies that reference it.
 */
@ControllerConfiguration(name = PatchPolicyReconciler.NAME)
public class PatchPolicyReconciler implements Reconciler<PatchPolicy> {
  public static final String NAME = "patchpolicy";
  static final String GROUP_INDEX = "patchwarden.io/referenced-groups";
  static final String WINDOW_INDEX = "patchwarden.io/referenced-windows";

  private final StatusWriter statusWriter;
  private final Clock clock;

  public PatchPolicyReconciler(StatusWriter statusWriter, Clock clock) {
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, PatchPolicy>> prepareEventSources(
      EventSourceContext<PatchPolicy> context) {
    IndexerResourceCache<PatchPolicy> policies = context.getPrimaryCache();
    policies.addIndexer(GROUP_INDEX, p -> indexKeys(p, referencedGroups(p.getSpec())));
    policies.addIndexer(WINDOW_INDEX, p -> indexKeys(p, referencedWindows(p.getSpec())));
    return List.of(
        referenceSource(
            EndpointGroup.class, GROUP_INDEX, PatchPolicyReconciler::referencedGroups, context),
        referenceSource(
            MaintenanceWindow.class,
            WINDOW_INDEX,
            PatchPolicyReconciler::referencedWindows,
            context));
  }

  @Override
  public UpdateControl<PatchPolicy> reconcile(PatchPolicy policy, Context<PatchPolicy> context) {
    Set<String> groups = names(context.getSecondaryResources(EndpointGroup.class));
    Set<String> windows = names(context.getSecondaryResources(MaintenanceWindow.class));
    List<SpecProblem> problems = PatchPolicyValidator.validate(policy.getSpec(), groups, windows);

    long generation = policy.getMetadata().getGeneration();
    PatchPolicyStatus previous = policy.getStatus();
    var conditions =
        new StatusAggregator(
            previous == null ? null : previous.getConditions(), generation, clock.instant());
    if (problems.isEmpty()) {
      conditions.ready(Reason.SpecValid, "The policy is valid and its groups and windows exist.");
    } else {
      conditions.invalid(problems);
    }

    PatchPolicyStatus status = new PatchPolicyStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    return statusWriter.patchIfChanged(policy, status, PatchPolicy::new);
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
                    policies
                        .byIndex(index, key(object.getMetadata().getNamespace(), object))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
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
    return Stream.concat(direct, waves)
        .filter(java.util.Objects::nonNull)
        .collect(Collectors.toSet());
  }

  static Set<String> referencedWindows(PatchPolicySpec spec) {
    return spec == null || spec.getWindows() == null ? Set.of() : Set.copyOf(spec.getWindows());
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

  private static Set<String> names(Set<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }
}
