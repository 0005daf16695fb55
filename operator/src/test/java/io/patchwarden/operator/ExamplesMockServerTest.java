package io.patchwarden.operator;

import io.patchwarden.operator.testing.MockServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The examples against the Fabric8 mock server (wiring only; see ExamplesIT for the real one). */
class ExamplesMockServerTest extends ExampleScenarios {
  @Override
  protected TestCluster newCluster() {
    return new MockServerCluster();
  }
}
