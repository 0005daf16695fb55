package io.patchwarden.operator;

import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The compliance scenarios against the Fabric8 mock server (wiring). */
class ComplianceMockServerTest extends ComplianceScenarios {
  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }
}
