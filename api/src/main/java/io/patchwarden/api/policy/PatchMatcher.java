package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Patterns;

/** Matches updates by id, package glob (+ version) or CVE id; set exactly one way. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.id) ? 1 : 0) + (has(self.package) ? 1 : 0) + (has(self.cve) ? 1 : 0) == 1",
    message = "an approve/reject entry must set exactly one of id, package or cve")
@ValidationRule(
    value = "!has(self.version) || has(self.package)",
    message = "an approve/reject entry may set version only together with package")
public class PatchMatcher {

  @Size(min = 1, max = 256)
  @JsonPropertyDescription(
      "Exact update id as the agent reports it (e.g. KB5034441, RHSA-2024:1234).")
  private String id;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Package name glob, e.g. linux-image-* or openssl.")
  private String packageName;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Exact package version; only with package.")
  private String version;

  @Pattern(Patterns.CVE_ID)
  @JsonPropertyDescription("Matches every update that fixes this CVE, e.g. CVE-2024-3094.")
  private String cve;

  @com.fasterxml.jackson.annotation.JsonProperty("package")
  public String getPackageName() {
    return packageName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("package")
  public void setPackageName(String packageName) {
    this.packageName = packageName;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getCve() {
    return cve;
  }

  public void setCve(String cve) {
    this.cve = cve;
  }
}
