package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Patterns;
import io.patchwarden.api.common.Severity;
import java.util.List;

/** One update available to an endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingUpdate {

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription(
      "Update id, unique on the endpoint (e.g. package=version, an advisory id).")
  private String id;

  @JsonProperty("package")
  @Size(max = 256)
  @JsonPropertyDescription("Package name.")
  private String packageName;

  @Size(max = 256)
  @JsonPropertyDescription("Candidate version.")
  private String version;

  @Size(max = 256)
  @JsonPropertyDescription("Installed version, if any.")
  private String installedVersion;

  @JsonPropertyDescription("Classification: Security, Bugfix, Enhancement, ...")
  private Classification classification;

  @JsonPropertyDescription("Vendor severity; Unspecified when the source gives none.")
  private Severity severity;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(c, c.matches('" + Patterns.CVE_ID + "'))",
      message = "cves entries must look like CVE-2024-3094")
  @JsonPropertyDescription("CVE ids the update fixes.")
  private List<String> cves;

  @Pattern(Patterns.DATE_OR_TIMESTAMP)
  @JsonPropertyDescription("Release date of the update (YYYY-MM-DD or RFC 3339).")
  private String releaseDate;

  @Size(max = 256)
  @JsonPropertyDescription("Package source it comes from, e.g. bookworm-security.")
  private String source;

  @JsonPropertyDescription(
      "When the endpoint first reported this update (RFC 3339). Kept by the gateway, ignored when"
          + " an agent sends it; deferrals and deadlines count from it when releaseDate is unknown"
          + " (apt gives none).")
  private String firstSeen;

  public String getFirstSeen() {
    return firstSeen;
  }

  public void setFirstSeen(String firstSeen) {
    this.firstSeen = firstSeen;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getPackageName() {
    return packageName;
  }

  public void setPackageName(String packageName) {
    this.packageName = packageName;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getInstalledVersion() {
    return installedVersion;
  }

  public void setInstalledVersion(String installedVersion) {
    this.installedVersion = installedVersion;
  }

  public Classification getClassification() {
    return classification;
  }

  public void setClassification(Classification classification) {
    this.classification = classification;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }

  public List<String> getCves() {
    return cves;
  }

  public void setCves(List<String> cves) {
    this.cves = cves;
  }

  public String getReleaseDate() {
    return releaseDate;
  }

  public void setReleaseDate(String releaseDate) {
    this.releaseDate = releaseDate;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }
}
