package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.ObjectStatus;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PatchRunStatus extends ObjectStatus {
  /** Failures listed at most; the totals still count all of them. */
  public static final int MAX_LISTED_FAILURES = 20;

  @JsonPropertyDescription("Phase of the run.")
  private RunPhase phase;

  @JsonPropertyDescription("When the first assignment was made (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the run finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Name of the wave in progress.")
  private String currentWave;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Counts over all waves.")
  private TargetCounts totals;

  @Size(max = 10)
  @JsonPropertyDescription("Progress per wave, in order.")
  private List<WaveProgress> waves;

  @Size(max = 63)
  @JsonPropertyDescription(
      "spec.rollout.resumeToken of the policy when the run halted; changing the token resumes it.")
  private String haltedWithResumeToken;

  public String getHaltedWithResumeToken() {
    return haltedWithResumeToken;
  }

  public void setHaltedWithResumeToken(String haltedWithResumeToken) {
    this.haltedWithResumeToken = haltedWithResumeToken;
  }

  @Size(max = MAX_LISTED_FAILURES)
  @JsonPropertyDescription("The first failures with reasons (at most 20; totals count all).")
  private List<TargetFailure> failures;

  public RunPhase getPhase() {
    return phase;
  }

  public void setPhase(RunPhase phase) {
    this.phase = phase;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getCurrentWave() {
    return currentWave;
  }

  public void setCurrentWave(String currentWave) {
    this.currentWave = currentWave;
  }

  public TargetCounts getTotals() {
    return totals;
  }

  public void setTotals(TargetCounts totals) {
    this.totals = totals;
  }

  public List<WaveProgress> getWaves() {
    return waves;
  }

  public void setWaves(List<WaveProgress> waves) {
    this.waves = waves;
  }

  public List<TargetFailure> getFailures() {
    return failures;
  }

  public void setFailures(List<TargetFailure> failures) {
    this.failures = failures;
  }
}
