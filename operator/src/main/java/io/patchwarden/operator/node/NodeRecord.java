package io.patchwarden.operator.node;

import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.node.NodeState;
import io.patchwarden.operator.support.Timestamps;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's patch state as its {@code patchwarden.io/*} annotations record it: what a restarted
 * operator resumes from. Pure value.
 *
 * @param policy {@code <namespace>/<policy>}
 * @param since when it entered its state
 * @param durations seconds per finished phase (drain, patch, reboot, verify), in order
 * @param cordonInherited the node is still cordoned by Patchwarden from a failed run
 */
public record NodeRecord(
    String policy,
    String run,
    NodeState state,
    Instant since,
    boolean wasUnschedulable,
    String bootIdBefore,
    boolean rebootRequested,
    Map<String, Long> durations,
    boolean cordonInherited) {

  public NodeRecord {
    durations = Collections.unmodifiableMap(new LinkedHashMap<>(durations));
  }

  /** The record in a node's annotations, or null when it has none (or an unreadable one). */
  public static NodeRecord of(Map<String, String> annotations) {
    if (annotations == null) {
      return null;
    }
    NodeState state = state(annotations.get(NodeAnnotations.STATE));
    String policy = annotations.get(NodeAnnotations.POLICY);
    String run = annotations.get(NodeAnnotations.RUN);
    if (state == null || policy == null || run == null) {
      return null;
    }
    return new NodeRecord(
        policy,
        run,
        state,
        Timestamps.parse(annotations.get(NodeAnnotations.SINCE)).orElse(Instant.EPOCH),
        "true".equals(annotations.get(NodeAnnotations.WAS_UNSCHEDULABLE)),
        annotations.get(NodeAnnotations.BOOT_ID_BEFORE),
        "true".equals(annotations.get(NodeAnnotations.REBOOT_REQUESTED)),
        durations(annotations.get(NodeAnnotations.DURATIONS)),
        "true".equals(annotations.get(NodeAnnotations.CORDON_INHERITED)));
  }

  private static NodeState state(String value) {
    if (value == null) {
      return null;
    }
    try {
      return NodeState.valueOf(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Parses {@code drain=12,patch=95}; unreadable entries are dropped. */
  static Map<String, Long> durations(String value) {
    Map<String, Long> result = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return result;
    }
    for (String part : value.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length == 2) {
        try {
          result.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
        } catch (NumberFormatException e) {
          // A hand-edited annotation loses that entry, not the node's state.
        }
      }
    }
    return result;
  }

  /** The durations with one phase added, in the {@code drain=12,patch=95} form. */
  static String durationsWith(Map<String, Long> durations, String phase, long seconds) {
    Map<String, Long> all = new LinkedHashMap<>(durations);
    all.put(phase, seconds);
    StringBuilder b = new StringBuilder();
    all.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }

  /** Whether this record belongs to the policy's run (and not to another policy's). */
  public boolean of(String policyId, String runName) {
    return policy.equals(policyId) && run.equals(runName);
  }
}
