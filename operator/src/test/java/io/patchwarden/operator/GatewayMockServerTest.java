package io.patchwarden.operator;

import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The gateway scenarios against the Fabric8 mock server. */
class GatewayMockServerTest extends GatewayScenarios {
  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }
}
