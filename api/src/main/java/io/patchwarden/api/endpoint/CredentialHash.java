package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.patchwarden.api.common.Patterns;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialHash {

  @Pattern(Patterns.SHA256_HEX)
  @JsonPropertyDescription(
      "SHA-256 of the credential (hex). The credential has >= 256 random bits.")
  private String sha256;

  @JsonPropertyDescription("When the credential was issued (RFC 3339).")
  private String issuedAt;

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }
}
