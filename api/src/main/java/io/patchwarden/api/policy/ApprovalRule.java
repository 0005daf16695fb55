package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Patterns;
import io.patchwarden.api.common.Severity;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalRule {

  @Size(max = 8)
  @JsonPropertyDescription("Classifications this rule approves; empty or omitted means all.")
  private List<Classification> classifications;

  @JsonPropertyDescription(
      "Lowest vendor severity approved (Unspecified < Low < Medium < High < Critical); omitted"
          + " means all.")
  private Severity minSeverity;

  @Default("0d")
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("Deferral: approve only this long after the update's release date.")
  private String approveAfter;

  @Pattern(Patterns.DATE)
  @JsonPropertyDescription("Approve only updates released on or before this date (YYYY-MM-DD).")
  private String approveUntil;

  @JsonPropertyDescription(
      "Severity used for deadlines and reports of updates this rule approves, instead of the"
          + " vendor's. An update approved by several rules (or also by the approve list) is due"
          + " by the earliest deadline any of their severities gives it.")
  private Severity complianceSeverity;

  public List<Classification> getClassifications() {
    return classifications;
  }

  public void setClassifications(List<Classification> classifications) {
    this.classifications = classifications;
  }

  public Severity getMinSeverity() {
    return minSeverity;
  }

  public void setMinSeverity(Severity minSeverity) {
    this.minSeverity = minSeverity;
  }

  public String getApproveAfter() {
    return approveAfter;
  }

  public void setApproveAfter(String approveAfter) {
    this.approveAfter = approveAfter;
  }

  public String getApproveUntil() {
    return approveUntil;
  }

  public void setApproveUntil(String approveUntil) {
    this.approveUntil = approveUntil;
  }

  public Severity getComplianceSeverity() {
    return complianceSeverity;
  }

  public void setComplianceSeverity(Severity complianceSeverity) {
    this.complianceSeverity = complianceSeverity;
  }
}
