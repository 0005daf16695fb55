package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateOutcome {

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Update id from the assignment.")
  private String id;

  @Required
  @JsonPropertyDescription("Installed, Failed or PendingReboot.")
  private UpdateResult result;

  @Size(max = 1024)
  @JsonPropertyDescription("Error or detail message (cut to 1024 characters).")
  private String message;

  public UpdateOutcome() {}

  public UpdateOutcome(String id, UpdateResult result, String message) {
    this.id = id;
    this.result = result;
    this.message = message;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public UpdateResult getResult() {
    return result;
  }

  public void setResult(UpdateResult result) {
    this.result = result;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
