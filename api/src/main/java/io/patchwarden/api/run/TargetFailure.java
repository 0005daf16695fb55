package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetFailure {
  @JsonPropertyDescription("Node or Endpoint.")
  private TargetKind kind;

  @Size(max = 253)
  @JsonPropertyDescription("Name of the Node or ManagedEndpoint.")
  private String target;

  @Size(max = 253)
  @JsonPropertyDescription("Wave in which it failed.")
  private String wave;

  @Size(max = 128)
  @JsonPropertyDescription("Machine-readable reason, UpperCamelCase.")
  private String reason;

  @Size(max = 1024)
  @JsonPropertyDescription("Detail.")
  private String message;

  public TargetKind getKind() {
    return kind;
  }

  public void setKind(TargetKind kind) {
    this.kind = kind;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getWave() {
    return wave;
  }

  public void setWave(String wave) {
    this.wave = wave;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
