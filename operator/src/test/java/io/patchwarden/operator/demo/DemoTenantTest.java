package io.patchwarden.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTenantTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Instant NOW = Instant.parse("2026-12-07T10:15:30Z");
  private static final List<ObjectNode> TENANT =
      DemoTenant.build(EXAMPLES, NOW, Duration.ofMinutes(2), Duration.ofSeconds(20));

  private static JsonNode find(String kind, String name) {
    return TENANT.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " missing"));
  }

  @Test
  void onlyPatchwardenObjectsGoIntoTheTwoDemoNamespaces() {
    assertThat(TENANT).isNotEmpty();
    assertThat(TENANT)
        .allSatisfy(
            o -> {
              assertThat(o.path("apiVersion").asText()).startsWith("patchwarden.io/");
              assertThat(o.path("metadata").path("namespace").asText())
                  .isIn(DemoTenant.OFFICE, DemoTenant.NODES);
            });
    assertThat(TENANT.stream().map(o -> o.path("kind").asText()))
        .contains("MaintenanceWindow", "EndpointGroup", "PatchPolicy");
  }

  @Test
  void oneWindowIsOpenNowAndTheOtherOpensAfterTheGivenDelay() {
    JsonNode open = find("MaintenanceWindow", "weekday-evenings").path("spec");
    assertThat(open.path("recurrence").path("once").asText()).isEqualTo("2026-12-07");
    assertThat(open.path("start").asText()).isEqualTo("10:14");
    assertThat(open.path("timeZone").asText()).isEqualTo("UTC");
    assertThat(open.has("exclusions")).as("the example's freeze is gone").isFalse();
    JsonNode later = find("MaintenanceWindow", "after-patch-tuesday").path("spec");
    // 10:15:30 + 2 min, on the next whole minute: never sooner than the delay.
    assertThat(later.path("start").asText()).isEqualTo("10:18");
    JsonNode now =
        DemoTenant.build(EXAMPLES, NOW, Duration.ZERO, Duration.ofSeconds(5)).stream()
            .filter(o -> o.path("metadata").path("name").asText().equals("after-patch-tuesday"))
            .findFirst()
            .orElseThrow()
            .path("spec");
    assertThat(now.path("start").asText()).as("no delay: open now").isEqualTo("10:14");
  }

  @Test
  void laptopsRollOutCanaryThenTenPercentThenEveryone() {
    JsonNode rollout = find("PatchPolicy", DemoTenant.LAPTOP_POLICY).path("spec").path("rollout");
    assertThat(rollout.path("waves").findValuesAsText("name"))
        .containsExactly("canary", "pilot", "everyone");
    assertThat(rollout.path("waves").get(1).path("percent").asInt()).isEqualTo(10);
    assertThat(rollout.path("waves").get(0).path("soak").asText()).isEqualTo("20s");
    assertThat(find("EndpointGroup", "laptops").path("spec").path("staleAfter").asText())
        .isEqualTo("90s");
  }

  @Test
  void serversWaitForAManualApprovalOfTheirSecurityUpdates() {
    JsonNode approval = find("PatchPolicy", DemoTenant.SERVER_POLICY).path("spec").path("approval");
    assertThat(approval.path("mode").asText()).isEqualTo("Manual");
    assertThat(approval.path("rules").get(0).path("classifications").get(0).asText())
        .isEqualTo("Security");
  }

  @Test
  void nodeGroupsOnlyEverSelectSimulatedNodes() {
    List<ObjectNode> groups =
        TENANT.stream()
            .filter(o -> o.path("metadata").path("namespace").asText().equals(DemoTenant.NODES))
            .filter(o -> o.path("kind").asText().equals("EndpointGroup"))
            .toList();
    assertThat(groups).isNotEmpty();
    assertThat(groups)
        .allSatisfy(
            g ->
                assertThat(
                        g.path("spec")
                            .path("nodeSelector")
                            .path("matchLabels")
                            .path(DemoTenant.DEMO_NODE_LABEL)
                            .asText())
                    .isEqualTo("true"));
  }
}
