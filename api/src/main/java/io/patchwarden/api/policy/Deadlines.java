package io.patchwarden.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.Patterns;

/** Time allowed from an update's release until it must be installed, per severity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Deadlines {

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "For updates fixing a known-exploited CVE; the catalogue's own due date applies if earlier.")
  private String knownExploited;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("For Critical updates.")
  private String critical;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("For High updates.")
  private String high;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("For Medium updates.")
  private String medium;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("For Low updates.")
  private String low;

  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("For updates without a vendor severity; defaults to medium's deadline.")
  private String unspecified;

  public String getKnownExploited() {
    return knownExploited;
  }

  public void setKnownExploited(String knownExploited) {
    this.knownExploited = knownExploited;
  }

  public String getCritical() {
    return critical;
  }

  public void setCritical(String critical) {
    this.critical = critical;
  }

  public String getHigh() {
    return high;
  }

  public void setHigh(String high) {
    this.high = high;
  }

  public String getMedium() {
    return medium;
  }

  public void setMedium(String medium) {
    this.medium = medium;
  }

  public String getLow() {
    return low;
  }

  public void setLow(String low) {
    this.low = low;
  }

  public String getUnspecified() {
    return unspecified;
  }

  public void setUnspecified(String unspecified) {
    this.unspecified = unspecified;
  }
}
