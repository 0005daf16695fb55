package io.patchwarden.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Optional;

/** What every Patchwarden status holds: the generation it reflects and kstatus conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectStatus {

  @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
  private Long observedGeneration;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Conditions: Ready always, plus Reconciling/Stalled and kind-specific ones.")
  private List<Condition> conditions;

  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
