package io.patchwarden.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {
  private static final List<BenchResult> RESULTS =
      List.of(
          BenchResult.atMost("policy-pass", "median pass", 195, "ms", 500, "min 154 | max 305"),
          BenchResult.atLeast("convergence", "ratio", 0.45, "×", 0.5, null),
          BenchResult.figure("startup", "to first reconcile", 12.5, "s", "informers synced"));

  @Test
  void targetsAreJudgedOnTheRightSide() {
    assertThat(RESULTS).extracting(BenchResult::met).containsExactly(true, false, null);
    assertThat(RESULTS.get(0).target()).isEqualTo("≤ 500 ms");
    assertThat(RESULTS.get(1).target()).isEqualTo("≥ 0.500 ×");
  }

  @Test
  void theTableHasARowPerFigureAndSaysWhichTargetsAreMissed() {
    String table = BenchTable.table("2026-12-07, 2 cores", RESULTS);
    assertThat(table.lines().filter(l -> l.startsWith("| ")).count()).isEqualTo(1 + 3);
    assertThat(table)
        .contains("2026-12-07, 2 cores")
        .contains(
            "| policy-pass | median pass | **195** ms | ≤ 500 ms | yes | min 154 \\| max 305 |")
        .contains("| convergence | ratio | **0.450** × | ≥ 0.500 × | **no** |")
        .contains("| startup | to first reconcile | **12.50** s | – | – | informers synced |");
  }

  @Test
  void onlyTheTextBetweenTheMarkersIsReplaced() {
    String doc = "# B\nintro\n" + BenchTable.START + "\nold table\n" + BenchTable.END + "\nrest\n";
    String out = BenchTable.replace(doc, "new table\n");
    assertThat(out)
        .isEqualTo(
            "# B\nintro\n" + BenchTable.START + "\nnew table\n" + BenchTable.END + "\nrest\n");
    assertThat(BenchTable.replace(out, "new table\n")).as("idempotent").isEqualTo(out);
    assertThatThrownBy(() -> BenchTable.replace("# no markers", "x"))
        .hasMessageContaining("lacks the markers");
  }

  @Test
  void docsBenchmarksCarriesTheMarkers() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "benchmarks.md"));
    assertThat(doc).contains(BenchTable.START).contains(BenchTable.END);
  }

  @Test
  void recordedLinesReadBack() throws Exception {
    Path file = Files.createTempFile("bench", ".jsonl");
    System.setProperty("bench.out", file.toString());
    try {
      RESULTS.forEach(BenchResult::record);
    } finally {
      System.clearProperty("bench.out");
    }
    assertThat(BenchTable.read(file)).isEqualTo(RESULTS);
  }
}
