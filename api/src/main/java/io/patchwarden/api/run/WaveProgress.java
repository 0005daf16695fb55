package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaveProgress extends TargetCounts {
  @JsonPropertyDescription("Wave name.")
  private String name;

  @JsonPropertyDescription("When the wave started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When every target of the wave finished (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription("The next wave may start at this time (end of soak, RFC 3339).")
  private String soakUntil;

  @JsonPropertyDescription(
      "Failures of this wave a user accepted by resuming the halted run; only failures beyond"
          + " them count against haltOnFailures.")
  private Integer acceptedFailures;

  public Integer getAcceptedFailures() {
    return acceptedFailures;
  }

  public void setAcceptedFailures(Integer acceptedFailures) {
    this.acceptedFailures = acceptedFailures;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  public String getSoakUntil() {
    return soakUntil;
  }

  public void setSoakUntil(String soakUntil) {
    this.soakUntil = soakUntil;
  }
}
