package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pending update of a target, as the evaluation core sees it. Pure value.
 *
 * @param severity the vendor's; {@code Unspecified} when the source gives none (apt)
 * @param classification {@code Other} when the source gives none
 * @param released the vendor's release (a date counts from its start, UTC), or null when unknown
 * @param firstSeen when the endpoint first reported it (kept by the gateway), or null
 */
public record Update(
    String id,
    String packageName,
    String version,
    Classification classification,
    Severity severity,
    List<String> cves,
    Instant released,
    Instant firstSeen) {

  public Update {
    severity = severity == null ? Severity.Unspecified : severity;
    classification = classification == null ? Classification.Other : classification;
    cves = cves == null ? List.of() : List.copyOf(cves);
  }

  /**
   * The moment deferrals and deadlines count from: the release date (start of that day, UTC), or
   * when the endpoint first reported the update if the source gives no release date.
   */
  public Optional<Instant> countedFrom() {
    return Optional.ofNullable(released != null ? released : firstSeen);
  }
}
