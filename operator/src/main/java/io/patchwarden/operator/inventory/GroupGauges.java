package io.patchwarden.operator.inventory;

import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.group.EndpointGroupStatus;
import io.patchwarden.operator.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Endpoint counts per group, read at scrape time from the groups' status in the controller's cache:
 * a deleted group's series vanish with it, and no per-endpoint label is ever used.
 */
public final class GroupGauges {
  private final MultiGauge endpoints;
  private final MultiGauge stale;
  private volatile IndexerResourceCache<EndpointGroup> groups;

  public GroupGauges(MeterRegistry registry) {
    endpoints =
        MultiGauge.builder(MetricNames.ENDPOINTS)
            .description(MetricNames.ENDPOINTS_HELP)
            .register(registry);
    stale =
        MultiGauge.builder(MetricNames.ENDPOINTS_STALE)
            .description(MetricNames.ENDPOINTS_STALE_HELP)
            .register(registry);
  }

  void observe(IndexerResourceCache<EndpointGroup> cache) {
    this.groups = cache;
  }

  public void refresh() {
    List<MultiGauge.Row<?>> endpointRows = new ArrayList<>();
    List<MultiGauge.Row<?>> staleRows = new ArrayList<>();
    IndexerResourceCache<EndpointGroup> cache = groups;
    if (cache != null) {
      cache
          .list()
          .forEach(
              group -> {
                EndpointGroupStatus status = group.getStatus();
                if (status == null || status.getEndpoints() == null) {
                  return;
                }
                Tags tags =
                    Tags.of(
                        MetricNames.NAMESPACE,
                        group.getMetadata().getNamespace(),
                        MetricNames.GROUP,
                        group.getMetadata().getName());
                if (status.getOsFamilies() != null) {
                  status
                      .getOsFamilies()
                      .forEach(
                          f ->
                              endpointRows.add(
                                  MultiGauge.Row.of(
                                      tags.and(MetricNames.OS_FAMILY, f.getOsFamily().name()),
                                      f.getCount())));
                }
                staleRows.add(
                    MultiGauge.Row.of(tags, status.getStale() == null ? 0 : status.getStale()));
              });
    }
    endpoints.register(endpointRows, true);
    stale.register(staleRows, true);
  }
}
