package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Patterns;

/** A change freeze: while it lasts the window is closed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.from <= self.to || (size(self.to) == 10 && self.from.startsWith(self.to))",
    message = "exclusion 'from' must not be after 'to'")
public class Exclusion {

  @Required
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Name of the freeze, e.g. year-end-freeze.")
  private String name;

  @Required
  @Pattern(Patterns.DATE_OR_TIMESTAMP)
  @JsonPropertyDescription(
      "First day (YYYY-MM-DD, from 00:00 in the window's time zone) or RFC 3339 timestamp.")
  private String from;

  @Required
  @Pattern(Patterns.DATE_OR_TIMESTAMP)
  @JsonPropertyDescription(
      "Last day, inclusive (YYYY-MM-DD, until 24:00 in the window's time zone) or RFC 3339"
          + " timestamp.")
  private String to;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }
}
