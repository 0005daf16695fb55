package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.patchwarden.api.common.Patterns;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rollout {

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(w, self.exists_one(x, x.name == w.name))",
      message = "spec.rollout.waves names must be unique")
  @JsonPropertyDescription(
      "Waves in order. A wave is a group (e.g. a canary group) or a percentage of the targets not"
          + " in an earlier wave. Omitted: one wave with every target.")
  private List<Wave> waves;

  @ValidationRule(
      value = Patterns.POSITIVE_COUNT_OR_PERCENT_RULE,
      message = "spec.rollout.maxConcurrent must be a count >= 1 or a percentage 1%..100%")
  @JsonPropertyDescription(
      "At most this many targets (number, or % of the targets) have an unfinished assignment at"
          + " any moment; failed-and-unresolved targets count too. Default 1.")
  private IntOrString maxConcurrent;

  @ValidationRule(
      value = Patterns.COUNT_OR_PERCENT_RULE,
      message = "spec.rollout.haltOnFailures must be a count >= 0 or a percentage 0%..100%")
  @JsonPropertyDescription(
      "Halt the run when more targets than this (number, or % of the wave) fail in a wave."
          + " Omitted: never halt.")
  private IntOrString haltOnFailures;

  @JsonPropertyDescription("true stops new assignments; assignments in flight finish.")
  private Boolean paused;

  @Size(max = 63)
  @JsonPropertyDescription(
      "Changing this value resumes a halted run (e.g. set it to the date of the decision).")
  private String resumeToken;

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

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public String getResumeToken() {
    return resumeToken;
  }

  public void setResumeToken(String resumeToken) {
    this.resumeToken = resumeToken;
  }
}
