package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.ObjectStatus;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedEndpointStatus extends ObjectStatus {

  @JsonPropertyDescription("When the endpoint enrolled (RFC 3339).")
  private String enrolledAt;

  @JsonPropertyDescription(
      "Last check-in (RFC 3339), refreshed at most every few minutes when nothing else changed.")
  private String lastSeen;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription(
      "Hash of the endpoint's credential; the credential itself is never stored.")
  private CredentialHash credential;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("What the agent last reported. Written by the gateway only.")
  private Inventory inventory;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("Outcome of the last assignment, as the agent reported it.")
  private AssignmentResult lastResult;

  @Size(max = 32)
  @JsonPropertyDescription("Compliance per policy that targets this endpoint, keyed by policy.")
  private List<PolicyCompliance> compliance;

  public String getEnrolledAt() {
    return enrolledAt;
  }

  public void setEnrolledAt(String enrolledAt) {
    this.enrolledAt = enrolledAt;
  }

  public String getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(String lastSeen) {
    this.lastSeen = lastSeen;
  }

  public CredentialHash getCredential() {
    return credential;
  }

  public void setCredential(CredentialHash credential) {
    this.credential = credential;
  }

  public Inventory getInventory() {
    return inventory;
  }

  public void setInventory(Inventory inventory) {
    this.inventory = inventory;
  }

  public AssignmentResult getLastResult() {
    return lastResult;
  }

  public void setLastResult(AssignmentResult lastResult) {
    this.lastResult = lastResult;
  }

  public List<PolicyCompliance> getCompliance() {
    return compliance;
  }

  public void setCompliance(List<PolicyCompliance> compliance) {
    this.compliance = compliance;
  }
}
