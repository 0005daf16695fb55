package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.patchwarden.api.common.ObjectStatus;
import io.patchwarden.api.common.SeverityCounts;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PatchPolicyStatus extends ObjectStatus {

  @JsonPropertyDescription("Number of targets (nodes and endpoints) of the policy.")
  private Integer targets;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Targets per compliance state.")
  private ComplianceStateCounts states;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Approved but missing updates, summed over targets, by severity.")
  private SeverityCounts missingUpdates;

  @JsonPropertyDescription("Targets with at least one approved update past its deadline.")
  private Integer overdueTargets;

  @JsonPropertyDescription("Earliest deadline of a missing approved update (RFC 3339).")
  private String earliestDueBy;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Progress of the current rollout, if one is running.")
  private RolloutProgress rollout;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("The last finished PatchRun.")
  private RunReference lastRun;

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public ComplianceStateCounts getStates() {
    return states;
  }

  public void setStates(ComplianceStateCounts states) {
    this.states = states;
  }

  public SeverityCounts getMissingUpdates() {
    return missingUpdates;
  }

  public void setMissingUpdates(SeverityCounts missingUpdates) {
    this.missingUpdates = missingUpdates;
  }

  public Integer getOverdueTargets() {
    return overdueTargets;
  }

  public void setOverdueTargets(Integer overdueTargets) {
    this.overdueTargets = overdueTargets;
  }

  public String getEarliestDueBy() {
    return earliestDueBy;
  }

  public void setEarliestDueBy(String earliestDueBy) {
    this.earliestDueBy = earliestDueBy;
  }

  public RolloutProgress getRollout() {
    return rollout;
  }

  public void setRollout(RolloutProgress rollout) {
    this.rollout = rollout;
  }

  public RunReference getLastRun() {
    return lastRun;
  }

  public void setLastRun(RunReference lastRun) {
    this.lastRun = lastRun;
  }
}
