package io.patchwarden.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void withoutArgumentsTheDemoShowsTheWholeProductAtItsDefaultSize() {
    DemoOptions o = DemoOptions.parse(List.of(), Map.of());
    assertThat(o).isEqualTo(DemoOptions.defaults());
    assertThat(o.agents()).isEqualTo(300);
    assertThat(o.nodes()).isEqualTo(8);
    assertThat(o.kubeconfig()).as("no KUBECONFIG: embedded").isNull();
  }

  @Test
  void everyOptionIsRead() {
    DemoOptions o =
        DemoOptions.parse(
            List.of(
                "--kubeconfig",
                "/tmp/k",
                "--embedded",
                "--duration",
                "3m",
                "--agents",
                "40",
                "--stale-agents",
                "2",
                "--nodes",
                "3",
                "--simulate-nodes",
                "--failure-rate",
                "0.1",
                "--second-window-in",
                "20s",
                "--approve-after",
                "never",
                "--soak",
                "5s",
                "--plain",
                "--work-dir",
                "/tmp/d"),
            Map.of());
    assertThat(o)
        .isEqualTo(
            new DemoOptions(
                Path.of("/tmp/k"),
                true,
                Duration.ofMinutes(3),
                40,
                3,
                true,
                0.1,
                2,
                Duration.ofSeconds(20),
                null,
                Duration.ofSeconds(5),
                true,
                Path.of("/tmp/d")));
  }

  @Test
  void theFirstEntryOfKubeconfigIsUsedUnlessAnOptionSaysOtherwise() {
    Map<String, String> env = Map.of("KUBECONFIG", "/a/config:/b/config");
    assertThat(DemoOptions.parse(List.of(), env).kubeconfig()).isEqualTo(Path.of("/a/config"));
    assertThat(DemoOptions.parse(List.of("--kubeconfig", "/c"), env).kubeconfig())
        .isEqualTo(Path.of("/c"));
  }

  @Test
  void badInputNamesTheOption() {
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--agents", "many"), Map.of()))
        .hasMessageContaining("--agents")
        .hasMessageContaining("many");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--duration", "soon"), Map.of()))
        .hasMessageContaining("--duration");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--duration"), Map.of()))
        .hasMessage("--duration needs a value");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--nodes", "--plain"), Map.of()))
        .hasMessage("--nodes needs a value");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--colour"), Map.of()))
        .hasMessage("unknown option --colour");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--failure-rate", "2"), Map.of()))
        .hasMessageContaining("--failure-rate");
    assertThatThrownBy(
            () -> DemoOptions.parse(List.of("--agents", "5", "--stale-agents", "5"), Map.of()))
        .hasMessageContaining("--stale-agents");
  }
}
