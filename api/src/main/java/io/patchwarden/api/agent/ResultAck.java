package io.patchwarden.api.agent;

/**
 * Answer to a result report.
 *
 * @param run the run the result was recorded for
 * @param duplicate true when this result had already been recorded (nothing written)
 */
public record ResultAck(String run, boolean duplicate) {}
