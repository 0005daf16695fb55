package io.patchwarden.operator.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * What the evaluation core knows about one Kubernetes node target (from {@code
 * node.status.nodeInfo}). Pure value.
 *
 * @param lastHeartbeat the Ready condition's lastHeartbeatTime, or null when the node has none
 */
public record NodeFacts(
    String name,
    String kernelVersion,
    String osImage,
    String kubeletVersion,
    Instant lastHeartbeat,
    Duration staleAfter) {}
