package io.patchwarden.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.policy.PatchPolicyStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health check shipped in docs/argocd/health.lua against objects whose status
 * comes from the real {@link StatusAggregator}, so the script and the operator cannot drift apart.
 */
class ArgoCdHealthCheckTest {

  private static final Path SCRIPT = Path.of("..", "docs", "argocd", "health.lua");
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void noStatusYetIsProgressing() throws IOException {
    assertThat(health(policy(1, null))).containsEntry("status", "Progressing");
  }

  @Test
  void readyTrueIsHealthy() throws IOException {
    var status = status(1, new StatusAggregator(null, 1, NOW).ready(Reason.SpecValid, "ok"));
    assertThat(health(policy(1, status))).containsEntry("status", "Healthy");
  }

  @Test
  void anInvalidSpecIsDegradedAndSaysWhy() throws IOException {
    var problems =
        List.of(new SpecProblem(Reason.GroupNotFound, "spec.groups[0]", "no group 'laptops'"));
    var status = status(2, new StatusAggregator(null, 2, NOW).invalid(problems));

    Map<String, String> health = health(policy(2, status));

    assertThat(health).containsEntry("status", "Degraded");
    assertThat(health.get("message")).contains("GroupNotFound").contains("spec.groups[0]");
  }

  @Test
  void statusOfAnOlderGenerationIsProgressingEvenIfItWasReady() throws IOException {
    var status = status(1, new StatusAggregator(null, 1, NOW).ready(Reason.SpecValid, "ok"));
    assertThat(health(policy(2, status))).containsEntry("status", "Progressing");
  }

  @Test
  void reconcilingIsProgressing() throws IOException {
    var conditions =
        new StatusAggregator(null, 3, NOW)
            .set("Ready", ConditionStatus.FALSE, "RolloutInProgress", "wave 1 of 3")
            .set("Reconciling", ConditionStatus.TRUE, "RolloutInProgress", "wave 1 of 3");
    assertThat(health(policy(3, status(3, conditions)))).containsEntry("status", "Progressing");
  }

  @Test
  void readyFalseWithoutReconcilingIsDegraded() throws IOException {
    var conditions =
        new StatusAggregator(null, 1, NOW)
            .set("Ready", ConditionStatus.FALSE, "RunHalted", "too many failures");
    assertThat(health(policy(1, status(1, conditions)))).containsEntry("status", "Degraded");
  }

  private static PatchPolicyStatus status(long observedGeneration, StatusAggregator conditions) {
    var status = new PatchPolicyStatus();
    status.setObservedGeneration(observedGeneration);
    status.setConditions(conditions.build());
    return status;
  }

  private static PatchPolicy policy(long generation, PatchPolicyStatus status) {
    var policy = new PatchPolicy();
    policy.setMetadata(
        new ObjectMetaBuilder()
            .withName("laptops")
            .withNamespace("office")
            .withGeneration(generation)
            .build());
    policy.setStatus(status);
    return policy;
  }

  /** Evaluates the script the way Argo CD does: a global {@code obj}, a returned table. */
  private static Map<String, String> health(PatchPolicy policy) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(Serialization.jsonMapper().valueToTree(policy)));
    LuaValue result = globals.load(Files.readString(SCRIPT), "health.lua").call();
    return Map.of(
        "status", result.get("status").tojstring(), "message", result.get("message").tojstring());
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.fields().forEachRemaining(e -> table.set(e.getKey(), toLua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
