package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Patterns;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.group) != has(self.percent)",
    message = "a wave sets either group or percent, not both")
public class Wave {

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the wave, e.g. canary, pilot, everyone.")
  private String name;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription("An EndpointGroup whose members (among the targets) form this wave.")
  private String group;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Percentage of the targets not in an earlier wave, chosen by a stable hash (1..100).")
  private Integer percent;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long to wait after the wave finished before the next one starts.")
  private String soak;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }

  public String getSoak() {
    return soak;
  }

  public void setSoak(String soak) {
    this.soak = soak;
  }
}
