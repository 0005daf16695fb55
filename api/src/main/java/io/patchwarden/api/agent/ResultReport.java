package io.patchwarden.api.agent;

import io.patchwarden.api.endpoint.UpdateOutcome;
import java.util.List;

/**
 * {@code POST /agent/v1/result}: the outcome of an assignment; idempotent by run.
 *
 * @param run the run of the assignment
 * @param updates outcome per assigned update
 * @param rebootPending whether installed updates wait for a reboot
 * @param finishedAt when the agent finished (RFC 3339)
 */
public record ResultReport(
    String run, List<UpdateOutcome> updates, Boolean rebootPending, String finishedAt) {}
