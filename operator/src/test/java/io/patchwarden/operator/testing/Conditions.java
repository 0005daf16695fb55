package io.patchwarden.operator.testing;

import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ObjectStatus;
import java.util.Optional;

/** Reading conditions in assertions. */
public final class Conditions {
  private Conditions() {}

  public static Optional<Condition> of(ObjectStatus status, String type) {
    return status == null ? Optional.empty() : status.condition(type);
  }

  /** The Ready condition, or a failure message that shows the whole status. */
  public static Condition ready(ObjectStatus status) {
    return of(status, "Ready")
        .orElseThrow(() -> new AssertionError("no Ready condition yet in status " + status));
  }
}
