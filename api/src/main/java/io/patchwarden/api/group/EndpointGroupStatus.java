package io.patchwarden.api.group;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.ObjectStatus;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointGroupStatus extends ObjectStatus {

  @JsonPropertyDescription("Number of Kubernetes Nodes in the group.")
  private Integer nodes;

  @JsonPropertyDescription("Number of ManagedEndpoints in the group.")
  private Integer endpoints;

  @JsonPropertyDescription("Number of members not seen within staleAfter.")
  private Integer stale;

  @Size(max = 16)
  @JsonPropertyDescription("Member counts by operating system family.")
  private List<OsFamilyCount> osFamilies;

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Integer getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(Integer endpoints) {
    this.endpoints = endpoints;
  }

  public Integer getStale() {
    return stale;
  }

  public void setStale(Integer stale) {
    this.stale = stale;
  }

  public List<OsFamilyCount> getOsFamilies() {
    return osFamilies;
  }

  public void setOsFamilies(List<OsFamilyCount> osFamilies) {
    this.osFamilies = osFamilies;
  }
}
