package io.patchwarden.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make demo} headless and small: a child JVM starts its own embedded API server, runs the
 * whole demo to convergence and exits 0, leaving the report and no etcd or kube-apiserver behind.
 */
@Timeout(420)
class DemoIT {

  @Test
  void theDemoConvergesOnItsEmbeddedClusterAndExitsZero(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("demo.out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-Dlogback.configurationFile=demo-logback.xml",
            "-Ddemo.log=" + dir.resolve("operator.log"),
            "-cp",
            System.getProperty("java.class.path"),
            Demo.class.getName(),
            "--embedded",
            "--agents",
            "30",
            // None go silent: a stale endpoint takes 90 s to be recognised, too long for CI.
            "--stale-agents",
            "0",
            "--nodes",
            "3",
            "--second-window-in",
            "0s",
            "--soak",
            "5s",
            "--approve-after",
            "2s",
            "--duration",
            "5m",
            "--plain",
            "--work-dir",
            dir.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().remove("KUBECONFIG");
    Process demo = builder.start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(2))
          .failFast("the demo exited early; see " + out, () -> !demo.isAlive())
          .until(() -> Files.exists(dir.resolve("kubeconfig")));
      demo.descendants().forEach(children::add);
      assertThat(demo.waitFor(6, TimeUnit.MINUTES)).as("the demo ends by itself").isTrue();
    } finally {
      demo.destroyForcibly();
    }
    String text = Files.readString(out);
    assertThat(demo.exitValue()).as("exit code; output:%n%s", text).isZero();
    assertThat(text)
        .contains("Embedded cluster up; its kubeconfig: " + dir.resolve("kubeconfig"))
        .contains("waits for approval")
        .contains("NodeCordoned")
        .contains("Converged after");
    assertThat(dir.resolve("report.html")).isNotEmptyFile();
    assertThat(children).as("etcd and kube-apiserver were started").isNotEmpty();
    assertThat(children).as("nothing left running").noneMatch(ProcessHandle::isAlive);
  }
}
