package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutProgress {
  @JsonPropertyDescription("Name of the running PatchRun.")
  private String run;

  @JsonPropertyDescription("Name of the current wave.")
  private String wave;

  @JsonPropertyDescription("Targets of the run.")
  private Integer targets;

  @JsonPropertyDescription("Targets with an unfinished assignment.")
  private Integer inProgress;

  @JsonPropertyDescription("Targets that finished successfully.")
  private Integer succeeded;

  @JsonPropertyDescription("Targets that failed.")
  private Integer failed;

  public String getRun() {
    return run;
  }

  public void setRun(String run) {
    this.run = run;
  }

  public String getWave() {
    return wave;
  }

  public void setWave(String wave) {
    this.wave = wave;
  }

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public Integer getInProgress() {
    return inProgress;
  }

  public void setInProgress(Integer inProgress) {
    this.inProgress = inProgress;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }
}
