package io.patchwarden.operator.window;

import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.support.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * The maintenance-window gauges, read at scrape time from the windows' status in the controller's
 * cache: never incremented by hand, so they cannot drift, and a deleted window's series vanish with
 * it. The reconciler already evaluated each window (and re-evaluates it at every open/close), so
 * the scrape does not compute schedules again. Windows with a {@code Local} zone have no single
 * open state and are left out, as are invalid ones (neither has {@code status.open}).
 */
public final class WindowGauges {
  private final MultiGauge open;
  private final MultiGauge nextStart;
  private volatile IndexerResourceCache<MaintenanceWindow> windows;

  public WindowGauges(MeterRegistry registry) {
    this.open =
        MultiGauge.builder(MetricNames.WINDOW_OPEN)
            .description(MetricNames.WINDOW_OPEN_HELP)
            .register(registry);
    this.nextStart =
        MultiGauge.builder(MetricNames.WINDOW_NEXT_START)
            .description(MetricNames.WINDOW_NEXT_START_HELP)
            .baseUnit("seconds")
            .register(registry);
  }

  /** Called by the controller once its cache exists (only in the leader). */
  void observe(IndexerResourceCache<MaintenanceWindow> cache) {
    this.windows = cache;
  }

  /** Recomputes every row from the cache; rows of windows no longer there are removed. */
  public void refresh() {
    IndexerResourceCache<MaintenanceWindow> cache = windows;
    List<MultiGauge.Row<?>> openRows = new ArrayList<>();
    List<MultiGauge.Row<?>> nextRows = new ArrayList<>();
    if (cache != null) {
      cache
          .list()
          .forEach(
              window -> {
                MaintenanceWindowStatus status = window.getStatus();
                if (status == null || status.getOpen() == null) {
                  return;
                }
                Tags tags =
                    Tags.of(
                        MetricNames.NAMESPACE,
                        window.getMetadata().getNamespace(),
                        MetricNames.WINDOW,
                        window.getMetadata().getName());
                openRows.add(MultiGauge.Row.of(tags, status.getOpen() ? 1 : 0));
                if (status.getNextOccurrences() != null && !status.getNextOccurrences().isEmpty()) {
                  Timestamps.parse(status.getNextOccurrences().get(0).getStart())
                      .ifPresent(
                          start -> nextRows.add(MultiGauge.Row.of(tags, start.getEpochSecond())));
                }
              });
    }
    open.register(openRows, true);
    nextStart.register(nextRows, true);
  }
}
