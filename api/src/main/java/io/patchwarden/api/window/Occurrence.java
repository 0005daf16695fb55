package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One occurrence of a window, as RFC 3339 UTC timestamps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Occurrence {

  @JsonPropertyDescription("When the occurrence opens (RFC 3339, UTC).")
  private String start;

  @JsonPropertyDescription("When the occurrence closes (RFC 3339, UTC).")
  private String end;

  public Occurrence() {}

  public Occurrence(String start, String end) {
    this.start = start;
    this.end = end;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }
}
