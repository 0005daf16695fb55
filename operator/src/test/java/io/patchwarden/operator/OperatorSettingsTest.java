package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsSuitADeployedOperator() {
    OperatorSettings s = OperatorSettings.defaults();
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseName()).isEqualTo("patchwarden-operator");
    assertThat(s.managementPort()).isEqualTo(8081);
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.installCrds()).isFalse();
    assertThat(s.serverSideApply()).isTrue();
    assertThat(s.leaseTimings()).isEqualTo(OperatorSettings.LeaseTimings.DEFAULT);
  }

  @Test
  void leaseTimingsAreConfigurableAndMustNest() {
    OperatorSettings s =
        OperatorSettings.fromEnvironment(
            Map.of(
                "PATCHWARDEN_LEASE_DURATION", "4s",
                "PATCHWARDEN_LEASE_RENEW_DEADLINE", "3s",
                "PATCHWARDEN_LEASE_RETRY_PERIOD", "1s"));
    assertThat(s.leaseTimings())
        .isEqualTo(
            new OperatorSettings.LeaseTimings(
                java.time.Duration.ofSeconds(4),
                java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(1)));
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("PATCHWARDEN_LEASE_DURATION", "5s")))
        .hasMessageContaining("PATCHWARDEN_LEASE_RENEW_DEADLINE")
        .hasMessageContaining("PATCHWARDEN_LEASE_DURATION (PT5S)");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("PATCHWARDEN_LEASE_RETRY_PERIOD", "x")))
        .hasMessageContaining("PATCHWARDEN_LEASE_RETRY_PERIOD");
  }

  @Test
  void readsEveryVariable() {
    OperatorSettings s =
        OperatorSettings.fromEnvironment(
            Map.of(
                "PATCHWARDEN_LEADER_ELECTION", "false",
                "PATCHWARDEN_LEASE_NAME", "pw",
                "POD_NAMESPACE", "patchwarden-system",
                "PATCHWARDEN_MANAGEMENT_PORT", "9090",
                "PATCHWARDEN_WATCH_NAMESPACES", " acme, globex ,,",
                "PATCHWARDEN_INSTALL_CRDS", "yes",
                "PATCHWARDEN_SERVER_SIDE_APPLY", "0"));
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.leaseName()).isEqualTo("pw");
    assertThat(s.leaseNamespace()).isEqualTo("patchwarden-system");
    assertThat(s.managementPort()).isEqualTo(9090);
    assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("acme", "globex");
    assertThat(s.installCrds()).isTrue();
    assertThat(s.serverSideApply()).isFalse();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("PATCHWARDEN_MANAGEMENT_PORT", "http")))
        .hasMessageContaining("PATCHWARDEN_MANAGEMENT_PORT");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("PATCHWARDEN_MANAGEMENT_PORT", "70000")))
        .hasMessageContaining("0..65535");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("PATCHWARDEN_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("PATCHWARDEN_LEADER_ELECTION");
  }
}
