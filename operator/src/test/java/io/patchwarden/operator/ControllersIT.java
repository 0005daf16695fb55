package io.patchwarden.operator;

import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The controller scenarios against a real kube-apiserver. */
class ControllersIT extends ControllerScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }
}
