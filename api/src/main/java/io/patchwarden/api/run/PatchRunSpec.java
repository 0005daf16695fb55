package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.Wave;
import java.util.List;

/** What the run was started with. Immutable: the audit record of what was decided. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "PatchRun spec is immutable")
public class PatchRunSpec {

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the PatchPolicy in this namespace.")
  private String policy;

  @JsonPropertyDescription("metadata.generation of the policy when the run started.")
  private Long policyGeneration;

  @JsonPropertyDescription("true for a preview of an Audit-mode policy: nothing is assigned.")
  private Boolean dryRun;

  @Required
  @JsonPropertyDescription("The approved update set the run installs; later updates wait.")
  private Baseline baseline;

  @Size(max = 10)
  @JsonPropertyDescription("The policy's waves when the run started.")
  private List<Wave> waves;

  @JsonPropertyDescription("The policy's maxConcurrent when the run started.")
  private IntOrString maxConcurrent;

  @JsonPropertyDescription("The policy's haltOnFailures when the run started.")
  private IntOrString haltOnFailures;

  @JsonPropertyDescription(
      "The policy's spec.nodes when the run started: every node of the run is patched with it.")
  private NodePatching nodes;

  public NodePatching getNodes() {
    return nodes;
  }

  public void setNodes(NodePatching nodes) {
    this.nodes = nodes;
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public Long getPolicyGeneration() {
    return policyGeneration;
  }

  public void setPolicyGeneration(Long policyGeneration) {
    this.policyGeneration = policyGeneration;
  }

  public Boolean getDryRun() {
    return dryRun;
  }

  public void setDryRun(Boolean dryRun) {
    this.dryRun = dryRun;
  }

  public Baseline getBaseline() {
    return baseline;
  }

  public void setBaseline(Baseline baseline) {
    this.baseline = baseline;
  }

  public List<Wave> getWaves() {
    return waves;
  }

  public void setWaves(List<Wave> waves) {
    this.waves = waves;
  }

  public IntOrString getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(IntOrString maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public IntOrString getHaltOnFailures() {
    return haltOnFailures;
  }

  public void setHaltOnFailures(IntOrString haltOnFailures) {
    this.haltOnFailures = haltOnFailures;
  }
}
