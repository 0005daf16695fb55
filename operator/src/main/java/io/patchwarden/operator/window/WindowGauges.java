package io.patchwarden.operator.window;

import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.operator.metrics.MetricNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The maintenance-window gauges, computed at scrape time from the controller's cache: never
 * incremented by hand, so they cannot drift, and a deleted window's series vanish with it. Windows
 * with a {@code Local} zone have no single open state and are left out, as are invalid ones.
 */
public final class WindowGauges {
  private final Clock clock;
  private final MultiGauge open;
  private final MultiGauge nextStart;
  private volatile IndexerResourceCache<MaintenanceWindow> windows;

  public WindowGauges(MeterRegistry registry, Clock clock) {
    this.clock = clock;
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
      Instant now = clock.instant();
      cache
          .list()
          .forEach(
              window -> {
                WindowEvaluation e = WindowEvaluation.of(window.getSpec(), now);
                if (!e.valid() || e.zone().isEmpty()) {
                  return;
                }
                Tags tags =
                    Tags.of(
                        MetricNames.NAMESPACE,
                        window.getMetadata().getNamespace(),
                        MetricNames.WINDOW,
                        window.getMetadata().getName());
                openRows.add(MultiGauge.Row.of(tags, e.current().isPresent() ? 1 : 0));
                if (!e.next().isEmpty()) {
                  nextRows.add(MultiGauge.Row.of(tags, e.next().get(0).start().getEpochSecond()));
                }
              });
    }
    open.register(openRows, true);
    nextStart.register(nextRows, true);
  }
}
