package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Outcome of an assignment, per update, as the agent reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AssignmentResult {

  @Size(max = 253)
  @JsonPropertyDescription("The run the result belongs to (results are idempotent by run).")
  private String run;

  @JsonPropertyDescription("When the agent reported it (RFC 3339).")
  private String reportedAt;

  @JsonPropertyDescription("true when installed updates wait for a reboot.")
  private Boolean rebootPending;

  @Size(max = 500)
  @JsonPropertyDescription("Per-update outcomes.")
  private List<UpdateOutcome> updates;

  public String getRun() {
    return run;
  }

  public void setRun(String run) {
    this.run = run;
  }

  public String getReportedAt() {
    return reportedAt;
  }

  public void setReportedAt(String reportedAt) {
    this.reportedAt = reportedAt;
  }

  public Boolean getRebootPending() {
    return rebootPending;
  }

  public void setRebootPending(Boolean rebootPending) {
    this.rebootPending = rebootPending;
  }

  public List<UpdateOutcome> getUpdates() {
    return updates;
  }

  public void setUpdates(List<UpdateOutcome> updates) {
    this.updates = updates;
  }
}
