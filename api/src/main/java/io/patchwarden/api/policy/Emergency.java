package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Emergency {

  @Size(max = 3)
  @JsonPropertyDescription(
      "Approved updates of these kinds are assigned outside maintenance windows and do not wait"
          + " for wave soak (still within maxConcurrent): KnownExploited, Critical, High.")
  private List<EmergencyTrigger> outsideWindows;

  public List<EmergencyTrigger> getOutsideWindows() {
    return outsideWindows;
  }

  public void setOutsideWindows(List<EmergencyTrigger> outsideWindows) {
    this.outsideWindows = outsideWindows;
  }
}
