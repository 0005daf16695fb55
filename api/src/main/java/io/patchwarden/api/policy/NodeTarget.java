package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.osImage) && has(self.osImagePrefix))",
    message = "spec.nodes.target sets osImage or osImagePrefix, not both")
@ValidationRule(
    value =
        "has(self.kernelVersion) || has(self.osImage) || has(self.osImagePrefix)"
            + " || has(self.kubeletVersion)",
    message =
        "spec.nodes.target must set at least one of kernelVersion, osImage, osImagePrefix,"
            + " kubeletVersion")
public class NodeTarget {

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "Minimum kernel version (nodeInfo.kernelVersion), compared by the OS's own version rules"
          + " (Debian ordering for Debian/Ubuntu).")
  private String kernelVersion;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Exact nodeInfo.osImage, e.g. 'Ubuntu 22.04.4 LTS'.")
  private String osImage;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Prefix that nodeInfo.osImage must start with.")
  private String osImagePrefix;

  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Minimum kubelet version, e.g. v1.30.4.")
  private String kubeletVersion;

  public String getKernelVersion() {
    return kernelVersion;
  }

  public void setKernelVersion(String kernelVersion) {
    this.kernelVersion = kernelVersion;
  }

  public String getOsImage() {
    return osImage;
  }

  public void setOsImage(String osImage) {
    this.osImage = osImage;
  }

  public String getOsImagePrefix() {
    return osImagePrefix;
  }

  public void setOsImagePrefix(String osImagePrefix) {
    this.osImagePrefix = osImagePrefix;
  }

  public String getKubeletVersion() {
    return kubeletVersion;
  }

  public void setKubeletVersion(String kubeletVersion) {
    this.kubeletVersion = kubeletVersion;
  }
}
