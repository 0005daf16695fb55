package io.patchwarden.api.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AssignedUpdate {

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Update id as the agent reported it.")
  private String id;

  @JsonProperty("package")
  @Size(max = 256)
  @JsonPropertyDescription("Package name.")
  private String packageName;

  @Size(max = 256)
  @JsonPropertyDescription("Exact version to install; the agent installs nothing else.")
  private String version;

  public AssignedUpdate() {}

  public AssignedUpdate(String id, String packageName, String version) {
    this.id = id;
    this.packageName = packageName;
    this.version = version;
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
}
