package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.operator.testing.HelmManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generated files are current: deploy/ is the chart rendered with its default values, and the
 * chart's copies of crds/ and of the monitoring files (a chart cannot read files outside its
 * directory) are byte-identical to their sources. Either fails with what to run: {@code make
 * manifests}.
 */
class ManifestsUpToDateTest {
  private static final Path ROOT = Path.of("..");
  private static final Path CHART = HelmManifests.chart(ROOT);
  private static final String RUN =
      " is stale: run `make manifests` and commit the result (the chart's crds/ and files/ are"
          + " copies; deploy/ is the chart rendered with its default values)";

  @Test
  void deployIsTheChartRenderedWithDefaultValues() throws IOException {
    SortedMap<String, String> expected = HelmManifests.deployFiles(ROOT);
    Path deploy = ROOT.resolve("deploy");
    assertThat(relativeFiles(deploy)).as("files in deploy/" + RUN).isEqualTo(expected.keySet());
    for (var entry : expected.entrySet()) {
      String actual = Files.readString(deploy.resolve(entry.getKey()));
      // Not isEqualTo: the message would print both files whole.
      assertThat(actual.equals(entry.getValue()))
          .as(
              "deploy/%s%s; first difference at %s",
              entry.getKey(), RUN, firstDifference(actual, entry.getValue()))
          .isTrue();
    }
  }

  @Test
  void renderingIsDeterministic() {
    assertThat(HelmManifests.template(CHART)).isEqualTo(HelmManifests.template(CHART));
  }

  @Test
  void chartCrdsAreTheGeneratedCrds() throws IOException {
    assertSameFiles(ROOT.resolve("crds"), CHART.resolve("crds"));
  }

  @Test
  void chartFilesAreTheMonitoringFiles() throws IOException {
    for (Path source :
        List.of(
            ROOT.resolve("monitoring/prometheus/patchwarden-alerts.yaml"),
            ROOT.resolve("monitoring/grafana/patchwarden-dashboard.json"))) {
      Path copy = CHART.resolve("files").resolve(source.getFileName());
      assertThat(Files.exists(copy))
          .as("helm/patchwarden/files/%s%s", copy.getFileName(), RUN)
          .isTrue();
      assertThat(Files.readAllBytes(copy))
          .as("helm/patchwarden/files/%s%s", copy.getFileName(), RUN)
          .isEqualTo(Files.readAllBytes(source));
    }
  }

  private static void assertSameFiles(Path sources, Path copies) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    HelmManifests.yamlFiles(sources).forEach(f -> names.add(f.getFileName().toString()));
    TreeSet<String> copied = new TreeSet<>();
    try (Stream<Path> files = Files.list(copies)) {
      files.forEach(f -> copied.add(f.getFileName().toString()));
    }
    assertThat(copied).as("files in helm/patchwarden/crds/" + RUN).isEqualTo(names);
    for (String name : names) {
      assertThat(Files.readAllBytes(copies.resolve(name)))
          .as("helm/patchwarden/crds/%s%s", name, RUN)
          .isEqualTo(Files.readAllBytes(sources.resolve(name)));
    }
  }

  private static TreeSet<String> relativeFiles(Path dir) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .forEach(f -> files.add(dir.relativize(f).toString().replace('\\', '/')));
    }
    return files;
  }

  private static String firstDifference(String actual, String expected) {
    String[] a = actual.split("\n", -1);
    String[] e = expected.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, e.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < e.length ? e[i] : "<end of file>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": '" + x + "', expected '" + y + "'";
      }
    }
    return "none";
  }
}
