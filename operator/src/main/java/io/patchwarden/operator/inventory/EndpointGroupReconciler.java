package io.patchwarden.operator.inventory;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupStatus;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import java.time.Clock;
import java.util.List;

/** Validates EndpointGroups and reports Ready. */
@ControllerConfiguration(name = EndpointGroupReconciler.NAME)
public class EndpointGroupReconciler implements Reconciler<EndpointGroup> {
  public static final String NAME = "endpointgroup";

  private final StatusWriter statusWriter;
  private final Clock clock;

  public EndpointGroupReconciler(StatusWriter statusWriter, Clock clock) {
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  @Override
  public UpdateControl<EndpointGroup> reconcile(
      EndpointGroup group, Context<EndpointGroup> context) {
    List<SpecProblem> problems = EndpointGroupValidator.validate(group.getSpec());

    long generation = group.getMetadata().getGeneration();
    EndpointGroupStatus previous = group.getStatus();
    var conditions =
        new StatusAggregator(
            previous == null ? null : previous.getConditions(), generation, clock.instant());
    if (problems.isEmpty()) {
      conditions.ready(Reason.SpecValid, "The group's selectors are valid.");
    } else {
      conditions.invalid(problems);
    }

    EndpointGroupStatus status = new EndpointGroupStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    return statusWriter.patchIfChanged(group, status, EndpointGroup::new);
  }
}
