package io.patchwarden.api.group;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.patchwarden.api.common.OsFamily;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class OsFamilyCount {

  @JsonPropertyDescription("Operating system family.")
  private OsFamily osFamily;

  @JsonPropertyDescription("Number of members of that family.")
  private Integer count;

  public OsFamilyCount() {}

  public OsFamilyCount(OsFamily osFamily, Integer count) {
    this.osFamily = osFamily;
    this.count = count;
  }

  public OsFamily getOsFamily() {
    return osFamily;
  }

  public void setOsFamily(OsFamily osFamily) {
    this.osFamily = osFamily;
  }

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }
}
