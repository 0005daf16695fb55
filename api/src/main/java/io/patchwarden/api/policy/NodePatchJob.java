package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.patchwarden.api.common.Patterns;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.allowUnpinnedImage) && self.allowUnpinnedImage)"
            + " || self.image.matches('@sha256:[a-f0-9]{64}$')",
    message =
        "spec.nodes.patch.image must be pinned by digest (image@sha256:...) unless"
            + " allowUnpinnedImage is true")
@ValidationRule(
    value =
        "!has(self.allowedRegistries) || size(self.allowedRegistries) == 0"
            + " || self.allowedRegistries.exists(r, self.image.startsWith(r + '/'))",
    message = "spec.nodes.patch.image must come from one of spec.nodes.patch.allowedRegistries")
public class NodePatchJob {

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription(
      "Container image of the patch Job, pinned by digest (registry/repo@sha256:...).")
  private String image;

  @JsonPropertyDescription("Allow an image reference without a digest (not recommended).")
  private Boolean allowUnpinnedImage;

  @Size(max = 16)
  @JsonPropertyDescription(
      "If set, the image must start with one of these registry prefixes, e.g. registry.acme.example.")
  private List<String> allowedRegistries;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Command of the patch container. It runs privileged with hostPID and the host's root"
          + " filesystem at /host, so it can 'chroot /host' to use the host's package manager.")
  private List<String> command;

  @Size(max = 64)
  @JsonPropertyDescription("Arguments of the patch container.")
  private List<String> args;

  @Default("30m")
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("The Job fails when it runs longer than this (default 30m).")
  private String timeout;

  @JsonPropertyDescription("Resources of the patch container.")
  private ResourceRequirements resources;

  @Size(max = 32)
  @JsonPropertyDescription("Extra tolerations, so the Job can run on tainted nodes.")
  private List<Toleration> tolerations;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Boolean getAllowUnpinnedImage() {
    return allowUnpinnedImage;
  }

  public void setAllowUnpinnedImage(Boolean allowUnpinnedImage) {
    this.allowUnpinnedImage = allowUnpinnedImage;
  }

  public List<String> getAllowedRegistries() {
    return allowedRegistries;
  }

  public void setAllowedRegistries(List<String> allowedRegistries) {
    this.allowedRegistries = allowedRegistries;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }
}
