package io.patchwarden.operator;

import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The examples against a real kube-apiserver. */
class ExamplesIT extends ExampleScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }
}
