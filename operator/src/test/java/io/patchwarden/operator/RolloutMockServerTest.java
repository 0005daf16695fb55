package io.patchwarden.operator;

import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The rollout gate scenarios against the Fabric8 mock server (wiring). */
class RolloutMockServerTest extends RolloutScenarios {
  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }
}
