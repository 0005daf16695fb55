package io.patchwarden.operator.node;

import io.patchwarden.operator.policy.NodeFacts;

/**
 * What the node itself says now. Pure value.
 *
 * @param unschedulable spec.unschedulable (cordoned)
 * @param facts nodeInfo, compared with the target
 */
public record NodeView(boolean ready, boolean unschedulable, String bootId, NodeFacts facts) {}
