package io.patchwarden.operator.testing;

import io.patchwarden.operator.OperatorSettings;
import io.patchwarden.operator.PatchwardenOperator;
import io.patchwarden.operator.gateway.GatewaySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/** Starts the whole operator in-process against a {@link TestCluster}. */
public final class RunningOperator {
  private RunningOperator() {}

  /** Leader election off, a free management port, SSA when the cluster supports it. */
  public static PatchwardenOperator start(TestCluster cluster) {
    OperatorSettings settings =
        OperatorSettings.defaults()
            .withLeaderElection(false)
            .withManagementPort(0)
            .withGateway(GatewaySettings.defaults().withPort(0))
            .withServerSideApply(cluster.supportsServerSideApply());
    try {
      return PatchwardenOperator.start(cluster.client(), settings, Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
