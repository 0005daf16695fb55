package io.patchwarden.operator.policy;

import static io.patchwarden.operator.policy.PolicyFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.policy.NodePatchJob;
import io.patchwarden.api.policy.NodePatching;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeComplianceTest {
  private static final Duration WEEK = Duration.ofDays(7);

  private static NodeFacts node(String kernel, String osImage, String kubelet) {
    return new NodeFacts("n", kernel, osImage, kubelet, null, WEEK);
  }

  private static TargetEvaluation eval(NodeCompliance rules, NodeFacts node) {
    return NodeCompliance.evaluate(rules, node, NOW);
  }

  @Test
  void withoutANodeTargetNodesAreNotApplicable() {
    assertThat(
            eval(null, node("6.1.0-28-amd64", "Debian GNU/Linux 12 (bookworm)", "v1.30.4")).state())
        .isEqualTo(ComplianceState.NotApplicable);
  }

  @Test
  void debianKernelsCompareByDpkgOrder() {
    NodeCompliance rules = new NodeCompliance("6.1.0-10-amd64", null, null, null);
    String debian = "Debian GNU/Linux 12 (bookworm)";
    assertThat(eval(rules, node("6.1.0-9-amd64", debian, null)))
        .extracting(TargetEvaluation::state, TargetEvaluation::reason)
        .containsExactly(
            ComplianceState.Missing, "kernel 6.1.0-9-amd64 is older than 6.1.0-10-amd64");
    assertThat(eval(rules, node("6.1.0-10-amd64", debian, null)).state())
        .isEqualTo(ComplianceState.Compliant);
    assertThat(eval(rules, node("6.1.0-28-amd64", debian, null)).state())
        .isEqualTo(ComplianceState.Compliant);
  }

  @Test
  void redHatKernelsCompareByRpmOrder() {
    NodeCompliance rules = new NodeCompliance("5.14.0-362.13.1.el9_3.x86_64", null, null, null);
    String rhel = "Red Hat Enterprise Linux CoreOS 415.92";
    assertThat(eval(rules, node("5.14.0-362.8.1.el9_3.x86_64", rhel, null)).state())
        .isEqualTo(ComplianceState.Missing);
    assertThat(eval(rules, node("5.14.0-362.24.1.el9_3.x86_64", rhel, null)).state())
        .isEqualTo(ComplianceState.Compliant);
    assertThat(NodeCompliance.kernelOrder("Rocky Linux 9.3 (Blue Onyx)").compare("1.0~rc1", "1.0"))
        .isNegative();
  }

  @Test
  void osImageExactOrPrefixAndKubeletVersion() {
    NodeCompliance exact = new NodeCompliance(null, "Ubuntu 22.04.4 LTS", null, "v1.30.4");
    assertThat(eval(exact, node("x", "Ubuntu 22.04.4 LTS", "v1.30.10")).state())
        .isEqualTo(ComplianceState.Compliant);
    TargetEvaluation behind = eval(exact, node("x", "Ubuntu 22.04.3 LTS", "v1.29.9"));
    assertThat(behind.state()).isEqualTo(ComplianceState.Missing);
    assertThat(behind.reason())
        .isEqualTo(
            "OS image 'Ubuntu 22.04.3 LTS' is not 'Ubuntu 22.04.4 LTS'; kubelet v1.29.9 is older than v1.30.4");
    NodeCompliance prefix = new NodeCompliance(null, null, "Ubuntu 24.04", null);
    assertThat(eval(prefix, node("x", "Ubuntu 24.04.1 LTS", null)).state())
        .isEqualTo(ComplianceState.Compliant);
    assertThat(eval(prefix, node("x", null, null)).state()).isEqualTo(ComplianceState.Missing);
  }

  @Test
  void aNodeWithoutAHeartbeatWithinStaleAfterIsStale() {
    NodeCompliance rules = new NodeCompliance("6.1.0-10-amd64", null, null, null);
    NodeFacts silent =
        new NodeFacts("n", "6.1.0-28-amd64", "Debian", null, NOW.minus(Duration.ofDays(8)), WEEK);
    assertThat(eval(rules, silent).state()).isEqualTo(ComplianceState.Stale);
    NodeFacts alive =
        new NodeFacts("n", "6.1.0-28-amd64", "Debian", null, NOW.minusSeconds(30), WEEK);
    TargetEvaluation e = eval(rules, alive);
    assertThat(e.state()).isEqualTo(ComplianceState.Compliant);
    assertThat(e.nextChange()).isEqualTo(NOW.minusSeconds(30).plus(WEEK));
  }

  @Test
  void withoutATargetANodeIsCompliantOncePatchedWithTheCurrentPatchSpec() {
    NodePatching nodes = new NodePatching();
    nodes.setPatch(new NodePatchJob());
    NodeCompliance rules = NodeCompliance.from(nodes, "ns/p@aaa");
    NodeFacts never = new NodeFacts("n", "6.1.0-28-amd64", "Debian", null, null, WEEK, null);
    NodeFacts older = new NodeFacts("n", "6.1.0-28-amd64", "Debian", null, null, WEEK, "ns/p@bbb");
    NodeFacts current =
        new NodeFacts("n", "6.1.0-28-amd64", "Debian", null, null, WEEK, "ns/p@aaa");
    assertThat(eval(rules, never).state()).isEqualTo(ComplianceState.Missing);
    assertThat(eval(rules, never).reason()).contains("spec.nodes.patch");
    assertThat(eval(rules, older).state()).isEqualTo(ComplianceState.Missing);
    assertThat(eval(rules, current).state()).isEqualTo(ComplianceState.Compliant);
    // Neither target nor patch: nodes are only listed.
    assertThat(NodeCompliance.from(new NodePatching(), "ns/p@aaa")).isNull();
    // A target wins over the marker.
    nodes.setTarget(new io.patchwarden.api.policy.NodeTarget());
    nodes.getTarget().setKernelVersion("6.1.0-10-amd64");
    assertThat(eval(NodeCompliance.from(nodes, "ns/p@aaa"), never).state())
        .isEqualTo(ComplianceState.Compliant);
  }
}
