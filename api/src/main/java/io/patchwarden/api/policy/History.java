package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class History {

  @Default("20")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Finished PatchRuns kept per policy (default 20); older ones are deleted.")
  private Integer keep;

  public Integer getKeep() {
    return keep;
  }

  public void setKeep(Integer keep) {
    this.keep = keep;
  }
}
