package io.patchwarden.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counts of updates per severity; knownExploited counts updates fixing a known-exploited CVE. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SeverityCounts {
  @JsonPropertyDescription("Updates fixing a known-exploited CVE (also counted by severity).")
  private Integer knownExploited;

  private Integer critical;
  private Integer high;
  private Integer medium;
  private Integer low;
  private Integer unspecified;

  public Integer getKnownExploited() {
    return knownExploited;
  }

  public void setKnownExploited(Integer knownExploited) {
    this.knownExploited = knownExploited;
  }

  public Integer getCritical() {
    return critical;
  }

  public void setCritical(Integer critical) {
    this.critical = critical;
  }

  public Integer getHigh() {
    return high;
  }

  public void setHigh(Integer high) {
    this.high = high;
  }

  public Integer getMedium() {
    return medium;
  }

  public void setMedium(Integer medium) {
    this.medium = medium;
  }

  public Integer getLow() {
    return low;
  }

  public void setLow(Integer low) {
    this.low = low;
  }

  public Integer getUnspecified() {
    return unspecified;
  }

  public void setUnspecified(Integer unspecified) {
    this.unspecified = unspecified;
  }
}
