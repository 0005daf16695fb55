package io.patchwarden.operator;

import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;

/** The compliance scenarios against a real kube-apiserver (API semantics). */
class ComplianceIT extends ComplianceScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }
}
