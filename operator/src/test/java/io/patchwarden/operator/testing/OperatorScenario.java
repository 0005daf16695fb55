package io.patchwarden.operator.testing;

import io.patchwarden.operator.PatchwardenOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class that runs the whole operator against one cluster: the cluster is created, the CRDs
 * from the build installed, {@link #prepare()} sets up fixtures, then the operator starts;
 * everything stops after the last test. Subclasses choose the cluster (mock or real API server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OperatorScenario {
  protected TestCluster cluster;
  protected PatchwardenOperator operator;

  /** The cluster these scenarios run against. */
  protected abstract TestCluster newCluster();

  /** Fixtures that must exist before the operator starts (namespaces, tokens, objects). */
  protected void prepare() {}

  @BeforeAll
  final void startClusterAndOperator() {
    cluster = newCluster();
    cluster.installCrds();
    prepare();
    operator = RunningOperator.start(cluster);
  }

  @AfterAll
  final void stopOperatorAndCluster() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
