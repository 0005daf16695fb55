package io.patchwarden.api.group;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.patchwarden.api.common.Patterns;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.nodeSelector) || has(self.endpointSelector)",
    message = "spec must set nodeSelector, endpointSelector or both")
public class EndpointGroupSpec {

  @JsonPropertyDescription(
      "Selects Kubernetes Nodes of this cluster by label (full label-selector semantics). An empty"
          + " selector ({}) selects every node.")
  private LabelSelector nodeSelector;

  @JsonPropertyDescription(
      "Selects ManagedEndpoints in this namespace by label (full label-selector semantics). An"
          + " empty selector ({}) selects every endpoint of the namespace.")
  private LabelSelector endpointSelector;

  @Default("Standard")
  @JsonPropertyDescription(
      "Risk tier of the group: Critical, High, Standard (default) or Low. Used for ordering and"
          + " reporting.")
  private RiskTier tier;

  @Default("7d")
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "A member not seen for this long is Stale: its state is unknown, which is never counted as"
          + " compliant (default 7d).")
  private String staleAfter;

  public LabelSelector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(LabelSelector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public LabelSelector getEndpointSelector() {
    return endpointSelector;
  }

  public void setEndpointSelector(LabelSelector endpointSelector) {
    this.endpointSelector = endpointSelector;
  }

  public RiskTier getTier() {
    return tier;
  }

  public void setTier(RiskTier tier) {
    this.tier = tier;
  }

  public String getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(String staleAfter) {
    this.staleAfter = staleAfter;
  }
}
