package io.patchwarden.api.common;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A status condition shaped like metav1.Condition, so kstatus, Argo CD and Flux can read it. */
@JsonClassDescription(
    "A status condition shaped like metav1.Condition (type, status, reason, message,"
        + " lastTransitionTime, observedGeneration).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  @Required
  @Size(max = 316)
  @JsonPropertyDescription("Condition type in UpperCamelCase, e.g. Ready, Reconciling, Stalled.")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private ConditionStatus status;

  @Required
  @Size(min = 1, max = 1024)
  @Pattern(Patterns.CONDITION_REASON)
  @JsonPropertyDescription(
      "Machine-readable reason for the condition's last transition, UpperCamelCase.")
  private String reason;

  @Size(max = 32768)
  @JsonPropertyDescription(
      "Human-readable explanation; names the offending field when input is invalid.")
  private String message;

  @Required
  @JsonPropertyDescription("RFC 3339 time at which status or reason last changed.")
  private String lastTransitionTime;

  @Min(0)
  @JsonPropertyDescription(
      "metadata.generation of the object that this condition was computed from.")
  private Long observedGeneration;

  public Condition() {}

  public Condition(
      String type,
      ConditionStatus status,
      String reason,
      String message,
      String lastTransitionTime,
      Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Condition)) {
      return false;
    }
    Condition that = (Condition) o;
    return Objects.equals(type, that.type)
        && status == that.status
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + "): " + message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public ConditionStatus getStatus() {
    return status;
  }

  public void setStatus(ConditionStatus status) {
    this.status = status;
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

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
