package io.patchwarden.operator.gateway;

/**
 * ManagedEndpoint names derive from the machine id, so re-enrolling a machine (a reinstalled agent,
 * a lost credential) finds its endpoint instead of creating a second one. The id is hashed: machine
 * ids are not always valid object names, and need not be shown.
 */
public final class EndpointNames {
  private EndpointNames() {}

  public static String forMachine(String machineId) {
    return "ep-" + Credentials.sha256(machineId).substring(0, 20);
  }
}
