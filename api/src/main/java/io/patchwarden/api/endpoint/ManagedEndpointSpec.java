package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedEndpointSpec {

  @Required
  @Size(min = 1, max = 128)
  @ValidationRule(value = "self == oldSelf", message = "spec.machineId is immutable")
  @JsonPropertyDescription(
      "Stable machine id reported by the agent at enrollment (e.g. /etc/machine-id); re-enrolling"
          + " the same machine reuses this endpoint.")
  private String machineId;

  @Size(max = 253)
  @JsonPropertyDescription("Human-friendly name, by default the hostname at enrollment.")
  private String displayName;

  @JsonPropertyDescription(
      "What the operator wants installed now. Written by the operator only; the agent reads it"
          + " at check-in.")
  private Assignment assignment;

  public String getMachineId() {
    return machineId;
  }

  public void setMachineId(String machineId) {
    this.machineId = machineId;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public Assignment getAssignment() {
    return assignment;
  }

  public void setAssignment(Assignment assignment) {
    this.assignment = assignment;
  }
}
