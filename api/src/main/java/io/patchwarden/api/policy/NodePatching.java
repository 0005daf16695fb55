package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.Patterns;
import io.patchwarden.api.common.RebootPolicy;

/** How cluster Nodes are patched: target state, patch Job, drain, reboot, failure handling. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePatching {

  @JsonPropertyDescription(
      "What 'patched' means for a node, compared with node.status.nodeInfo. Omitted: a node is"
          + " patched once per spec.nodes.patch (its last successful one is recorded in the"
          + " node's patchwarden.io/patched-with annotation); changing the patch spec patches"
          + " every node again.")
  private NodeTarget target;

  @JsonPropertyDescription(
      "The privileged Job that patches a node (host filesystem at /host). Without it, nodes are"
          + " only evaluated, never patched.")
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

  @Default("15m")
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "How long a node may take to come back Ready (with a new bootID after a reboot) before it"
          + " counts as Failed (default 15m).")
  private String readyTimeout;

  public String getReadyTimeout() {
    return readyTimeout;
  }

  public void setReadyTimeout(String readyTimeout) {
    this.readyTimeout = readyTimeout;
  }

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
