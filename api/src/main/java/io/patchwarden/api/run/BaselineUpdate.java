package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BaselineUpdate {
  @Size(max = 256)
  @JsonPropertyDescription("Update id.")
  private String id;

  @JsonProperty("package")
  @Size(max = 256)
  @JsonPropertyDescription("Package name.")
  private String packageName;

  @Size(max = 256)
  @JsonPropertyDescription("Version.")
  private String version;

  @JsonPropertyDescription("Classification.")
  private Classification classification;

  @JsonPropertyDescription("Severity used for deadlines (after any complianceSeverity override).")
  private Severity severity;

  @JsonPropertyDescription("true when it fixes a known-exploited CVE.")
  private Boolean knownExploited;

  @JsonPropertyDescription("true when it is assigned through the emergency path.")
  private Boolean emergency;

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

  public Boolean getKnownExploited() {
    return knownExploited;
  }

  public void setKnownExploited(Boolean knownExploited) {
    this.knownExploited = knownExploited;
  }

  public Boolean getEmergency() {
    return emergency;
  }

  public void setEmergency(Boolean emergency) {
    this.emergency = emergency;
  }
}
