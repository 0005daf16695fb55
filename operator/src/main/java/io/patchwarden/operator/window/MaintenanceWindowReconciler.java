package io.patchwarden.operator.window;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.api.window.Occurrence;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.support.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reports each MaintenanceWindow's schedule in its status and re-reconciles exactly when the window
 * next opens or closes (no polling), so {@code status.open} flips at the boundary.
 */
@ControllerConfiguration(name = MaintenanceWindowReconciler.NAME)
public class MaintenanceWindowReconciler implements Reconciler<MaintenanceWindow> {
  public static final String NAME = "maintenancewindow";

  /** Reconcile a little after the boundary, so that "now" is past it. */
  private static final Duration BOUNDARY_MARGIN = Duration.ofMillis(200);

  private final StatusWriter statusWriter;
  private final Clock clock;
  private final WindowGauges gauges;

  public MaintenanceWindowReconciler(StatusWriter statusWriter, Clock clock, WindowGauges gauges) {
    this.statusWriter = statusWriter;
    this.clock = clock;
    this.gauges = gauges;
  }

  @Override
  public List<EventSource<?, MaintenanceWindow>> prepareEventSources(
      EventSourceContext<MaintenanceWindow> context) {
    gauges.observe(context.getPrimaryCache());
    return List.of();
  }

  @Override
  public UpdateControl<MaintenanceWindow> reconcile(
      MaintenanceWindow window, Context<MaintenanceWindow> context) {
    Instant now = clock.instant();
    WindowEvaluation evaluation = WindowEvaluation.of(window.getSpec(), now);

    UpdateControl<MaintenanceWindow> control =
        statusWriter.patchIfChanged(
            window, status(window, evaluation, now), MaintenanceWindow::new);
    evaluation
        .nextChange()
        .ifPresent(
            change -> control.rescheduleAfter(Duration.between(now, change).plus(BOUNDARY_MARGIN)));
    return control;
  }

  private static MaintenanceWindowStatus status(
      MaintenanceWindow window, WindowEvaluation evaluation, Instant now) {
    long generation = window.getMetadata().getGeneration();
    MaintenanceWindowStatus previous = window.getStatus();
    var conditions =
        new StatusAggregator(previous == null ? null : previous.getConditions(), generation, now);
    MaintenanceWindowStatus status = new MaintenanceWindowStatus();
    if (evaluation.valid()) {
      conditions.ready(Reason.SpecValid, evaluation.summary());
      if (evaluation.zone().isPresent()) {
        status.setOpen(evaluation.current().isPresent());
        evaluation
            .current()
            .map(MaintenanceWindowReconciler::occurrence)
            .ifPresent(status::setCurrentOccurrence);
        status.setNextOccurrences(
            evaluation.next().stream().map(MaintenanceWindowReconciler::occurrence).toList());
      }
    } else {
      conditions.invalid(evaluation.problems());
    }
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    return status;
  }

  /** RFC 3339 UTC, to the second (occurrence boundaries are whole minutes anyway). */
  private static Occurrence occurrence(Interval interval) {
    return new Occurrence(Timestamps.format(interval.start()), Timestamps.format(interval.end()));
  }
}
