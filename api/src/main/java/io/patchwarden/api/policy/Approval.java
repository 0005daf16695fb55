package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Approval {

  @Default("Automatic")
  @JsonPropertyDescription(
      "Automatic (default): a run starts when approved updates are missing. Manual: the run is"
          + " created and waits until its name is listed in approvedRuns.")
  private ApprovalMode mode;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Approval rules; an update is approved when any rule approves it and no reject entry"
          + " matches it.")
  private List<ApprovalRule> rules;

  @Size(max = 256)
  @JsonPropertyDescription("Updates approved regardless of the rules (unless rejected).")
  private List<PatchMatcher> approve;

  @Size(max = 256)
  @JsonPropertyDescription("Updates never approved, whatever the rules or the approve list say.")
  private List<PatchMatcher> reject;

  @Size(max = 64)
  @JsonPropertyDescription(
      "With mode Manual: names of PatchRuns a person has approved, e.g. added by a GitOps commit"
          + " or kubectl patch.")
  private List<String> approvedRuns;

  public ApprovalMode getMode() {
    return mode;
  }

  public void setMode(ApprovalMode mode) {
    this.mode = mode;
  }

  public List<ApprovalRule> getRules() {
    return rules;
  }

  public void setRules(List<ApprovalRule> rules) {
    this.rules = rules;
  }

  public List<PatchMatcher> getApprove() {
    return approve;
  }

  public void setApprove(List<PatchMatcher> approve) {
    this.approve = approve;
  }

  public List<PatchMatcher> getReject() {
    return reject;
  }

  public void setReject(List<PatchMatcher> reject) {
    this.reject = reject;
  }

  public List<String> getApprovedRuns() {
    return approvedRuns;
  }

  public void setApprovedRuns(List<String> approvedRuns) {
    this.approvedRuns = approvedRuns;
  }
}
