package io.patchwarden.agent.backend;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The order and the bound of what an agent reports as pending. */
public final class PendingUpdates {

  /** The gateway keeps at most this many as well; beyond it, it only counts. */
  public static final int MAX = 500;

  /**
   * Security first, then by severity, then by name: the cap must drop the least important updates,
   * and the same machine state must always produce the same report so unchanged check-ins cause no
   * write on the gateway side.
   */
  public static final Comparator<PendingUpdate> ORDER =
      Comparator.comparing((PendingUpdate u) -> u.getClassification() != Classification.Security)
          .thenComparing(
              u -> u.getSeverity() == null ? Severity.Unspecified : u.getSeverity(),
              Comparator.reverseOrder())
          .thenComparing(u -> Objects.toString(u.getPackageName(), ""))
          .thenComparing(u -> Objects.toString(u.getId(), ""));

  private PendingUpdates() {}

  /** Sorted by {@link #ORDER} and cut to {@link #MAX}. */
  public static List<PendingUpdate> normalize(List<PendingUpdate> updates) {
    return updates.stream().sorted(ORDER).limit(MAX).toList();
  }
}
