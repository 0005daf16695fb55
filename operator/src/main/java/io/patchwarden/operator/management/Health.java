package io.patchwarden.operator.management;

/** What the management server asks the rest of the operator. */
public interface Health {
  /** Liveness: false only when the process cannot recover by itself and should be restarted. */
  boolean live();

  /**
   * Readiness: the replica can do its job. A replica that is not the leader is ready once it is
   * started (it serves the agent gateway); the leader also needs its informers healthy.
   */
  Readiness ready();

  /**
   * @param ready whether the replica is ready
   * @param detail what is not ready, for a person (empty when ready)
   */
  record Readiness(boolean ready, String detail) {}
}
