package io.patchwarden.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchwarden.api.endpoint.Assignment;

/**
 * Answer to a check-in.
 *
 * @param assignment what to install now, or null when nothing is assigned
 * @param nextCheckinSeconds when to check in next
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckinResponse(Assignment assignment, int nextCheckinSeconds) {}
