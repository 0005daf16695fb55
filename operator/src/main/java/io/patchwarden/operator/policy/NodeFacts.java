package io.patchwarden.operator.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * What the evaluation core knows about one Kubernetes node target (from {@code
 * node.status.nodeInfo}). Pure value.
 *
 * @param lastHeartbeat the Ready condition's lastHeartbeatTime, or null when the node has none
 * @param patchedWith its patchwarden.io/patched-with annotation: the last patch spec it was patched
 *     with
 */
public record NodeFacts(
    String name,
    String kernelVersion,
    String osImage,
    String kubeletVersion,
    Instant lastHeartbeat,
    Duration staleAfter,
    String patchedWith) {

  public NodeFacts(
      String name,
      String kernelVersion,
      String osImage,
      String kubeletVersion,
      Instant lastHeartbeat,
      Duration staleAfter) {
    this(name, kernelVersion, osImage, kubeletVersion, lastHeartbeat, staleAfter, null);
  }
}
