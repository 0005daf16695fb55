package io.patchwarden.operator.window;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import java.time.Clock;
import java.util.List;

/** Validates MaintenanceWindows and reports Ready. */
@ControllerConfiguration(name = MaintenanceWindowReconciler.NAME)
public class MaintenanceWindowReconciler implements Reconciler<MaintenanceWindow> {
  public static final String NAME = "maintenancewindow";

  private final StatusWriter statusWriter;
  private final Clock clock;

  public MaintenanceWindowReconciler(StatusWriter statusWriter, Clock clock) {
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MaintenanceWindow> reconcile(
      MaintenanceWindow window, Context<MaintenanceWindow> context) {
    List<SpecProblem> problems = MaintenanceWindowValidator.validate(window.getSpec());

    long generation = window.getMetadata().getGeneration();
    MaintenanceWindowStatus previous = window.getStatus();
    var conditions =
        new StatusAggregator(
            previous == null ? null : previous.getConditions(), generation, clock.instant());
    if (problems.isEmpty()) {
      conditions.ready(Reason.SpecValid, "The window's schedule is valid.");
    } else {
      conditions.invalid(problems);
    }

    MaintenanceWindowStatus status = new MaintenanceWindowStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    return statusWriter.patchIfChanged(window, status, MaintenanceWindow::new);
  }
}
