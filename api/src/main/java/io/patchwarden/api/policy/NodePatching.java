package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.patchwarden.api.common.RebootPolicy;

/** How cluster Nodes are patched: target state, patch Job, drain, reboot, failure handling. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePatching {

  @JsonPropertyDescription(
      "What 'patched' means for a node, compared with node.status.nodeInfo. Omitted: a node is"
          + " patched once its patch Job succeeded.")
  private NodeTarget target;

  @JsonPropertyDescription("The privileged Job that patches a node (host filesystem at /host).")
  private NodePatchJob patch;

  @JsonPropertyDescription("How pods are moved off a node before it is patched.")
  private Drain drain;

  @JsonPropertyDescription(
      "Reboot behaviour for nodes; overrides spec.reboot. IfRequired reads the Job's termination"
          + " message or the host's /var/run/reboot-required.")
  private RebootPolicy reboot;

  @Default("StayCordoned")
  @JsonPropertyDescription(
      "What happens to a node whose patching failed: StayCordoned (default, safer) or Uncordon.")
  private NodeFailureAction onFailure;

  public NodeTarget getTarget() {
    return target;
  }

  public void setTarget(NodeTarget target) {
    this.target = target;
  }

  public NodePatchJob getPatch() {
    return patch;
  }

  public void setPatch(NodePatchJob patch) {
    this.patch = patch;
  }

  public Drain getDrain() {
    return drain;
  }

  public void setDrain(Drain drain) {
    this.drain = drain;
  }

  public RebootPolicy getReboot() {
    return reboot;
  }

  public void setReboot(RebootPolicy reboot) {
    this.reboot = reboot;
  }

  public NodeFailureAction getOnFailure() {
    return onFailure;
  }

  public void setOnFailure(NodeFailureAction onFailure) {
    this.onFailure = onFailure;
  }
}
