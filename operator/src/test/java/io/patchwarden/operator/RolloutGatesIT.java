package io.patchwarden.operator;

import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The rollout gate scenarios against a real kube-apiserver. */
class RolloutGatesIT extends RolloutScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }
}
