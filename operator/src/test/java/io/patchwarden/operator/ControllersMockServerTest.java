package io.patchwarden.operator;

import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The controller scenarios against the Fabric8 mock server (wiring). */
class ControllersMockServerTest extends ControllerScenarios {
  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }
}
