package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.SeverityCounts;

/** Compliance of this endpoint against one policy; each policy writes only its own entry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyCompliance {

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the PatchPolicy.")
  private String policy;

  @Required
  @JsonPropertyDescription("Compliance state against that policy.")
  private ComplianceState state;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Approved but missing updates by severity.")
  private SeverityCounts missing;

  @JsonPropertyDescription("Earliest deadline of a missing approved update (RFC 3339).")
  private String dueBy;

  @Size(max = 1024)
  @JsonPropertyDescription("Why the target is in this state, when not obvious.")
  private String reason;

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public ComplianceState getState() {
    return state;
  }

  public void setState(ComplianceState state) {
    this.state = state;
  }

  public SeverityCounts getMissing() {
    return missing;
  }

  public void setMissing(SeverityCounts missing) {
    this.missing = missing;
  }

  public String getDueBy() {
    return dueBy;
  }

  public void setDueBy(String dueBy) {
    this.dueBy = dueBy;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
