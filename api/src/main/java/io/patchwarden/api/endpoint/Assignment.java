package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.RebootPolicy;
import java.util.List;

/** The updates an endpoint must install for one run, and until when it may. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Assignment {

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the PatchRun this assignment belongs to.")
  private String run;

  @Size(max = 253)
  @JsonPropertyDescription("Name of the PatchPolicy of the run.")
  private String policy;

  @Required
  @Size(min = 1, max = 500)
  @JsonPropertyDescription("Exact updates to install.")
  private List<AssignedUpdate> updates;

  @Required
  @JsonPropertyDescription(
      "RFC 3339 time after which the agent must not start installing (end of the window"
          + " occurrence).")
  private String installUntil;

  @JsonPropertyDescription("Reboot behaviour for this assignment.")
  private RebootPolicy reboot;

  @JsonPropertyDescription("true when the assignment is an emergency (outside windows).")
  private Boolean emergency;

  @JsonPropertyDescription("When the operator wrote the assignment (RFC 3339).")
  private String assignedAt;

  public String getRun() {
    return run;
  }

  public void setRun(String run) {
    this.run = run;
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public List<AssignedUpdate> getUpdates() {
    return updates;
  }

  public void setUpdates(List<AssignedUpdate> updates) {
    this.updates = updates;
  }

  public String getInstallUntil() {
    return installUntil;
  }

  public void setInstallUntil(String installUntil) {
    this.installUntil = installUntil;
  }

  public RebootPolicy getReboot() {
    return reboot;
  }

  public void setReboot(RebootPolicy reboot) {
    this.reboot = reboot;
  }

  public Boolean getEmergency() {
    return emergency;
  }

  public void setEmergency(Boolean emergency) {
    this.emergency = emergency;
  }

  public String getAssignedAt() {
    return assignedAt;
  }

  public void setAssignedAt(String assignedAt) {
    this.assignedAt = assignedAt;
  }
}
