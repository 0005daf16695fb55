package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.node.NodeState;
import io.patchwarden.operator.metrics.MetricNames;
import io.patchwarden.operator.node.NodeEvent;
import io.patchwarden.operator.node.NodeFailure;
import io.patchwarden.operator.rollout.RunEvent;
import io.patchwarden.operator.status.ConditionType;
import io.patchwarden.operator.status.Reason;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The names users meet in status and on /metrics are the ones the docs explain. */
class DocsCatalogueTest {
  private static String doc(String name) throws IOException {
    return Files.readString(Path.of("..", "docs", name));
  }

  @Test
  void everyReasonAndConditionTypeIsDocumented() throws IOException {
    String conditions = doc("conditions.md");
    for (Reason reason : Reason.values()) {
      assertThat(conditions)
          .as("docs/conditions.md explains reason %s", reason)
          .contains("`" + reason + "`");
    }
    for (ConditionType type : ConditionType.values()) {
      assertThat(conditions)
          .as("docs/conditions.md explains condition %s", type)
          .contains("`" + type + "`");
    }
  }

  @Test
  void everyMetricIsDocumented() throws Exception {
    String metrics = doc("metrics.md");
    int checked = 0;
    for (Field f : MetricNames.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getName().endsWith("_HELP")) {
        continue;
      }
      String value = (String) f.get(null);
      if (!value.startsWith("patchwarden.")) {
        continue; // a label name
      }
      // Micrometer's dots become underscores; _total, _seconds etc. follow in the docs.
      assertThat(metrics)
          .as("docs/metrics.md lists %s", value)
          .contains("`" + value.replace('.', '_'));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(13);
  }

  @Test
  void everyEventReasonAndNodeFailureIsDocumented() throws IOException {
    String rollouts = doc("rollouts.md");
    for (RunEvent e : RunEvent.values()) {
      assertThat(rollouts).as("docs/rollouts.md lists event %s", e).contains("`" + e + "`");
    }
    String nodes = doc("node-patching.md");
    for (NodeEvent e : NodeEvent.values()) {
      assertThat(nodes).as("docs/node-patching.md lists event %s", e).contains("`" + e + "`");
    }
    for (NodeFailure f : NodeFailure.values()) {
      assertThat(nodes).as("docs/node-patching.md explains %s", f).contains("`" + f + "`");
    }
    for (NodeState s : NodeState.values()) {
      assertThat(nodes).as("docs/node-patching.md explains state %s", s).contains("`" + s + "`");
    }
  }
}
