package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.patchwarden.api.run.RunPhase;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunReference {
  @JsonPropertyDescription("Name of the PatchRun.")
  private String name;

  @JsonPropertyDescription("Its final phase.")
  private RunPhase phase;

  @JsonPropertyDescription("When it finished (RFC 3339).")
  private String finishedAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public RunPhase getPhase() {
    return phase;
  }

  public void setPhase(RunPhase phase) {
    this.phase = phase;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }
}
