package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.patchwarden.api.common.Patterns;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Drain {

  @Default("true")
  @JsonPropertyDescription("Drain the node before patching (default true).")
  private Boolean enabled;

  @Default("10m")
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "Give up evicting after this long (default 10m); evictions refused by a"
          + " PodDisruptionBudget (HTTP 429) are retried until then.")
  private String timeout;

  @Default("false")
  @JsonPropertyDescription("Evict pods that use emptyDir volumes (their data is lost).")
  private Boolean deleteEmptyDirData;

  @Default("true")
  @JsonPropertyDescription("Leave DaemonSet pods in place (default true).")
  private Boolean ignoreDaemonSets;

  @JsonPropertyDescription("Pods matching this selector are not evicted.")
  private LabelSelector podSelector;

  @Default("Fail")
  @JsonPropertyDescription(
      "On drain timeout: Fail (default), Skip the node, or Force (delete pods).")
  private DrainTimeoutAction onTimeout;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Boolean getDeleteEmptyDirData() {
    return deleteEmptyDirData;
  }

  public void setDeleteEmptyDirData(Boolean deleteEmptyDirData) {
    this.deleteEmptyDirData = deleteEmptyDirData;
  }

  public Boolean getIgnoreDaemonSets() {
    return ignoreDaemonSets;
  }

  public void setIgnoreDaemonSets(Boolean ignoreDaemonSets) {
    this.ignoreDaemonSets = ignoreDaemonSets;
  }

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }

  public DrainTimeoutAction getOnTimeout() {
    return onTimeout;
  }

  public void setOnTimeout(DrainTimeoutAction onTimeout) {
    this.onTimeout = onTimeout;
  }
}
