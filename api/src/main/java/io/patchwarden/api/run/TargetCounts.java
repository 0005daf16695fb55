package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetCounts {
  @JsonPropertyDescription("Targets in scope.")
  private Integer targets;

  @JsonPropertyDescription("Not yet assigned.")
  private Integer pending;

  @JsonPropertyDescription("Assigned, not finished.")
  private Integer assigned;

  @JsonPropertyDescription("Finished successfully.")
  private Integer succeeded;

  @JsonPropertyDescription("Failed.")
  private Integer failed;

  @JsonPropertyDescription("Skipped (stale, outside window until deadline, drain skipped, ...).")
  private Integer skipped;

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Integer getAssigned() {
    return assigned;
  }

  public void setAssigned(Integer assigned) {
    this.assigned = assigned;
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

  public Integer getSkipped() {
    return skipped;
  }

  public void setSkipped(Integer skipped) {
    this.skipped = skipped;
  }
}
