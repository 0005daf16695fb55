package io.patchwarden.api.agent;

/**
 * Answer to a successful enrollment.
 *
 * @param namespace namespace of the ManagedEndpoint
 * @param name name of the ManagedEndpoint
 * @param credential the per-endpoint bearer credential; shown once, stored by the gateway only as a
 *     hash
 * @param checkinIntervalSeconds how long the agent waits between check-ins
 */
public record EnrollResponse(
    String namespace, String name, String credential, int checkinIntervalSeconds) {}
