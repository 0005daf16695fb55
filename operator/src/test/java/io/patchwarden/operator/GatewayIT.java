package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.operator.testing.Conditions;
import io.patchwarden.operator.testing.RealApiServerCluster;
import io.patchwarden.operator.testing.TestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway scenarios against a real kube-apiserver (status subresource, merge patches), plus
 * staleness over real time.
 */
class GatewayIT extends GatewayScenarios {
  @Override
  protected TestCluster newCluster() {
    return new RealApiServerCluster();
  }

  /** staleAfter is at least a minute, so this test waits a minute. */
  @Test
  void anEndpointThatStopsCheckingInTurnsStaleAfterItsGroupsStaleAfter() throws Exception {
    group("site-5ca1ab", "1m");
    var enrolled = enroll("5ca1ab1e00dd11ee22ff");
    String name = enrolled.get("name").asText();
    post("/agent/v1/checkin", INVENTORY, enrolled.get("credential").asText());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Conditions.of(endpoint(name).getStatus(), "Stale")
                    .map(c -> c.getStatus() == ConditionStatus.FALSE)
                    .orElse(false));

    // No more check-ins: stale one minute after the last one, in status and in the group.
    await()
        .atMost(Duration.ofSeconds(100))
        .until(
            () ->
                Conditions.of(endpoint(name).getStatus(), "Stale")
                    .map(c -> c.getStatus() == ConditionStatus.TRUE)
                    .orElse(false));
    assertThat(Conditions.of(endpoint(name).getStatus(), "Stale").get().getReason())
        .isEqualTo("NotSeenRecently");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cluster
                    .client()
                    .resources(EndpointGroup.class)
                    .inNamespace(NS)
                    .withName("site-5ca1ab")
                    .get()
                    .getStatus()
                    .getStale(),
            stale -> stale != null && stale == 1);
  }
}
