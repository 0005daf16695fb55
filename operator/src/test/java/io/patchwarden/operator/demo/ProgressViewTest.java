package io.patchwarden.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

  private static PolicyRow row(
      int targets, int compliant, int missing, boolean inProgress, String phase) {
    return new PolicyRow(
        "demo-office",
        "laptops",
        "Enforce",
        targets,
        compliant,
        missing,
        1,
        2,
        3,
        0,
        inProgress,
        phase == null ? null : "laptops-1",
        phase,
        inProgress ? "pilot" : null);
  }

  @Test
  void theBarFillsWithTheCompliantShare() {
    assertThat(ProgressView.bar(0, 10)).isEqualTo("[" + "·".repeat(24) + "]");
    assertThat(ProgressView.bar(5, 10)).isEqualTo("[" + "█".repeat(12) + "·".repeat(12) + "]");
    assertThat(ProgressView.bar(10, 10)).isEqualTo("[" + "█".repeat(24) + "]");
    assertThat(ProgressView.bar(3, 0)).as("no targets yet").isEqualTo(ProgressView.bar(0, 1));
    assertThat(ProgressView.bar(12, 10)).isEqualTo(ProgressView.bar(10, 10));
  }

  @Test
  void aLineShowsCountsRunAndWave() {
    String line = ProgressView.line(row(40, 10, 30, true, "Running"));
    assertThat(line)
        .startsWith("demo-office/laptops")
        .contains("10/40")
        .contains("Running · wave pilot")
        .contains("overdue 2")
        .contains("failed 1")
        .contains("stale 3")
        .doesNotContain("✓");
    assertThat(ProgressView.line(row(40, 0, 40, false, null))).contains("no run yet");
  }

  @Test
  void aPolicySettlesWhenNothingMoreHappensWithoutAPerson() {
    assertThat(row(40, 40, 0, false, "Succeeded").settled()).isTrue();
    assertThat(row(40, 30, 0, false, "Failed").settled()).as("what is left failed").isTrue();
    assertThat(row(40, 40, 0, true, "Running").settled()).as("a run in progress").isFalse();
    assertThat(row(40, 39, 1, false, "Succeeded").settled())
        .as("what the run left is the next run's")
        .isTrue();
    assertThat(row(0, 0, 0, false, "Succeeded").settled()).as("no fleet yet").isFalse();
    assertThat(row(40, 0, 40, false, null).settled()).as("no run yet").isFalse();
    assertThat(row(40, 0, 40, true, "WaitingForApproval").settled())
        .as("waits for a person: the demo approves it")
        .isFalse();
    PolicyRow audit =
        new PolicyRow("ns", "p", "Audit", 4, 0, 4, 0, 0, 0, 0, false, null, null, null);
    assertThat(audit.settled()).as("Audit never installs").isTrue();
  }

  @Test
  void convergedNeedsEveryPolicySettled() {
    PolicyRow done = row(40, 40, 0, false, "Succeeded");
    PolicyRow busy = row(40, 20, 20, true, "Running");
    assertThat(ProgressView.converged(List.of(done, done))).isTrue();
    assertThat(ProgressView.converged(List.of(done, busy))).isFalse();
    assertThat(ProgressView.converged(List.of())).isFalse();
  }

  @Test
  void theSummaryAddsUpThePolicies() {
    List<String> summary =
        ProgressView.summary(
            List.of(row(40, 30, 0, false, "Failed"), row(10, 10, 0, false, "Succeeded")), true, 75);
    assertThat(summary.get(0)).isEqualTo("Converged after 75 s.");
    assertThat(summary.get(1)).contains("30 of   40 compliant").contains("(Failed)");
    assertThat(summary.get(summary.size() - 1)).contains("40 of 50 policy targets compliant (80%)");
    assertThat(ProgressView.summary(List.of(), false, 9).get(0))
        .isEqualTo("Stopped after 9 s without converging.");
  }
}
