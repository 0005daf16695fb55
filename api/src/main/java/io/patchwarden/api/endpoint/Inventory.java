package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.common.SeverityCounts;
import java.util.List;

/** What an agent reported about its endpoint; bounded so the object stays small. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Inventory {
  /** At most this many pending updates are kept; the rest is counted and flagged as truncated. */
  public static final int MAX_PENDING_UPDATES = 500;

  @Size(max = 253)
  @JsonPropertyDescription("Hostname.")
  private String hostname;

  @JsonPropertyDescription("OS family: Debian (incl. Ubuntu), RedHat (incl. Fedora), Suse, ...")
  private OsFamily osFamily;

  @Size(max = 128)
  @JsonPropertyDescription("OS name, e.g. Ubuntu.")
  private String osName;

  @Size(max = 64)
  @JsonPropertyDescription("OS version, e.g. 22.04.")
  private String osVersion;

  @Size(max = 128)
  @JsonPropertyDescription("Running kernel version.")
  private String kernelVersion;

  @Size(max = 32)
  @JsonPropertyDescription("CPU architecture, e.g. amd64.")
  private String architecture;

  @Size(max = 64)
  @JsonPropertyDescription("IANA time zone of the endpoint (used by windows with timeZone: Local).")
  private String timeZone;

  @Size(max = 64)
  @JsonPropertyDescription("Agent version.")
  private String agentVersion;

  @JsonPropertyDescription("Whether the endpoint needs a reboot to finish installing.")
  private Boolean rebootRequired;

  @JsonPropertyDescription("Number of installed updates/packages the agent knows of.")
  private Integer installedUpdateCount;

  @Size(max = MAX_PENDING_UPDATES)
  @JsonPropertyDescription("Pending updates (at most 500 kept; see pendingUpdatesTruncated).")
  private List<PendingUpdate> pendingUpdates;

  @JsonPropertyDescription("Number of pending updates the agent reported (may exceed the list).")
  private Integer pendingUpdateCount;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription(
      "Pending updates by vendor severity (all reported updates, not only the ones kept).")
  private SeverityCounts pendingBySeverity;

  @JsonPropertyDescription("Number of pending updates classified Security.")
  private Integer pendingSecurityUpdateCount;

  @JsonPropertyDescription("true when pendingUpdates was cut to its maximum size.")
  private Boolean pendingUpdatesTruncated;

  @JsonPropertyDescription("When the agent scanned (RFC 3339).")
  private String scannedAt;

  public String getHostname() {
    return hostname;
  }

  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public OsFamily getOsFamily() {
    return osFamily;
  }

  public void setOsFamily(OsFamily osFamily) {
    this.osFamily = osFamily;
  }

  public String getOsName() {
    return osName;
  }

  public void setOsName(String osName) {
    this.osName = osName;
  }

  public String getOsVersion() {
    return osVersion;
  }

  public void setOsVersion(String osVersion) {
    this.osVersion = osVersion;
  }

  public String getKernelVersion() {
    return kernelVersion;
  }

  public void setKernelVersion(String kernelVersion) {
    this.kernelVersion = kernelVersion;
  }

  public String getArchitecture() {
    return architecture;
  }

  public void setArchitecture(String architecture) {
    this.architecture = architecture;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getAgentVersion() {
    return agentVersion;
  }

  public void setAgentVersion(String agentVersion) {
    this.agentVersion = agentVersion;
  }

  public Boolean getRebootRequired() {
    return rebootRequired;
  }

  public void setRebootRequired(Boolean rebootRequired) {
    this.rebootRequired = rebootRequired;
  }

  public Integer getInstalledUpdateCount() {
    return installedUpdateCount;
  }

  public void setInstalledUpdateCount(Integer installedUpdateCount) {
    this.installedUpdateCount = installedUpdateCount;
  }

  public List<PendingUpdate> getPendingUpdates() {
    return pendingUpdates;
  }

  public void setPendingUpdates(List<PendingUpdate> pendingUpdates) {
    this.pendingUpdates = pendingUpdates;
  }

  public Integer getPendingUpdateCount() {
    return pendingUpdateCount;
  }

  public void setPendingUpdateCount(Integer pendingUpdateCount) {
    this.pendingUpdateCount = pendingUpdateCount;
  }

  public Integer getPendingSecurityUpdateCount() {
    return pendingSecurityUpdateCount;
  }

  public void setPendingSecurityUpdateCount(Integer pendingSecurityUpdateCount) {
    this.pendingSecurityUpdateCount = pendingSecurityUpdateCount;
  }

  public Boolean getPendingUpdatesTruncated() {
    return pendingUpdatesTruncated;
  }

  public void setPendingUpdatesTruncated(Boolean pendingUpdatesTruncated) {
    this.pendingUpdatesTruncated = pendingUpdatesTruncated;
  }

  public String getScannedAt() {
    return scannedAt;
  }

  public void setScannedAt(String scannedAt) {
    this.scannedAt = scannedAt;
  }

  public SeverityCounts getPendingBySeverity() {
    return pendingBySeverity;
  }

  public void setPendingBySeverity(SeverityCounts pendingBySeverity) {
    this.pendingBySeverity = pendingBySeverity;
  }
}
