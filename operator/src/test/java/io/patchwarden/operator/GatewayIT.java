package io.patchwarden.operator;

import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The gateway scenarios against a real kube-apiserver (status subresource, merge patches). */
class GatewayIT extends GatewayScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }
}
