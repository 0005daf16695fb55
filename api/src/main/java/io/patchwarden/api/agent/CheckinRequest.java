package io.patchwarden.api.agent;

/**
 * {@code POST /agent/v1/checkin} with {@code Authorization: Bearer <credential>}.
 *
 * @param inventory the current inventory of the machine
 */
public record CheckinRequest(AgentInventory inventory) {}
