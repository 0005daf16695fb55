package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.RebootPolicy;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PatchPolicySpec {

  /** An object name, without anchors escaping issues inside a CEL string literal. */
  static final String NAME = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";

  @Default("Audit")
  @JsonPropertyDescription(
      "Audit (default) evaluates approval and compliance and previews rollouts but changes"
          + " nothing; Enforce also rolls approved updates out.")
  private PolicyMode mode;

  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(g, self.exists_one(x, x == g))",
      message = "spec.groups must not list a group twice")
  @ValidationRule(
      value = "self.all(g, g.matches('" + NAME + "'))",
      message = "spec.groups entries must be EndpointGroup names (lower-case DNS names)")
  @JsonPropertyDescription("Names of EndpointGroups in this namespace whose members are targets.")
  private List<String> groups;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(w, w.matches('" + NAME + "'))",
      message = "spec.windows entries must be MaintenanceWindow names (lower-case DNS names)")
  @JsonPropertyDescription(
      "Names of MaintenanceWindows in this namespace; changes happen only while one of them is"
          + " open for the target. Empty: changes may happen at any time.")
  private List<String> windows;

  @JsonPropertyDescription("Which pending updates are approved, automatically or by a person.")
  private Approval approval;

  @JsonPropertyDescription(
      "By when an approved update must be installed, per severity, counted from its release date.")
  private Deadlines deadlines;

  @JsonPropertyDescription("Updates that may be installed outside windows and ahead of wave soak.")
  private Emergency emergency;

  @JsonPropertyDescription("How fast: waves, concurrency, failure threshold, pause.")
  private Rollout rollout;

  @Default("IfRequired")
  @JsonPropertyDescription(
      "Reboot behaviour after installing: IfRequired (default), Always, Never.")
  private RebootPolicy reboot;

  @JsonPropertyDescription(
      "How the cluster's own Nodes (members through an EndpointGroup nodeSelector) are patched.")
  private NodePatching nodes;

  @JsonPropertyDescription("Where the catalogue of known-exploited vulnerabilities is read from.")
  private KnownExploitedCatalogRef knownExploitedCatalog;

  @JsonPropertyDescription("How many finished PatchRuns of this policy are kept.")
  private History history;

  public PolicyMode getMode() {
    return mode;
  }

  public void setMode(PolicyMode mode) {
    this.mode = mode;
  }

  public List<String> getGroups() {
    return groups;
  }

  public void setGroups(List<String> groups) {
    this.groups = groups;
  }

  public List<String> getWindows() {
    return windows;
  }

  public void setWindows(List<String> windows) {
    this.windows = windows;
  }

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public Deadlines getDeadlines() {
    return deadlines;
  }

  public void setDeadlines(Deadlines deadlines) {
    this.deadlines = deadlines;
  }

  public Emergency getEmergency() {
    return emergency;
  }

  public void setEmergency(Emergency emergency) {
    this.emergency = emergency;
  }

  public Rollout getRollout() {
    return rollout;
  }

  public void setRollout(Rollout rollout) {
    this.rollout = rollout;
  }

  public RebootPolicy getReboot() {
    return reboot;
  }

  public void setReboot(RebootPolicy reboot) {
    this.reboot = reboot;
  }

  public NodePatching getNodes() {
    return nodes;
  }

  public void setNodes(NodePatching nodes) {
    this.nodes = nodes;
  }

  public KnownExploitedCatalogRef getKnownExploitedCatalog() {
    return knownExploitedCatalog;
  }

  public void setKnownExploitedCatalog(KnownExploitedCatalogRef knownExploitedCatalog) {
    this.knownExploitedCatalog = knownExploitedCatalog;
  }

  public History getHistory() {
    return history;
  }

  public void setHistory(History history) {
    this.history = history;
  }
}
