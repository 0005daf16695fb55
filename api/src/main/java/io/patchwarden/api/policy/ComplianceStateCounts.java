package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Number of targets in each compliance state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComplianceStateCounts {
  @JsonPropertyDescription("Nothing approved is missing.")
  private Integer compliant;

  @JsonPropertyDescription("Approved updates are missing, none past its deadline.")
  private Integer missing;

  @JsonPropertyDescription("Installed, reboot outstanding.")
  private Integer pendingReboot;

  @JsonPropertyDescription("The last attempt failed.")
  private Integer failed;

  @JsonPropertyDescription("An approved update is past its deadline.")
  private Integer overdue;

  @JsonPropertyDescription("Not seen within the group's staleAfter: state unknown.")
  private Integer stale;

  @JsonPropertyDescription("The policy does not apply to the target.")
  private Integer notApplicable;

  public Integer getCompliant() {
    return compliant;
  }

  public void setCompliant(Integer compliant) {
    this.compliant = compliant;
  }

  public Integer getMissing() {
    return missing;
  }

  public void setMissing(Integer missing) {
    this.missing = missing;
  }

  public Integer getPendingReboot() {
    return pendingReboot;
  }

  public void setPendingReboot(Integer pendingReboot) {
    this.pendingReboot = pendingReboot;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public Integer getOverdue() {
    return overdue;
  }

  public void setOverdue(Integer overdue) {
    this.overdue = overdue;
  }

  public Integer getStale() {
    return stale;
  }

  public void setStale(Integer stale) {
    this.stale = stale;
  }

  public Integer getNotApplicable() {
    return notApplicable;
  }

  public void setNotApplicable(Integer notApplicable) {
    this.notApplicable = notApplicable;
  }
}
