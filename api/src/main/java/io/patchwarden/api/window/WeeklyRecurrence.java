package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Weekday;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WeeklyRecurrence {

  @Required
  @Size(min = 1, max = 7)
  @ValidationRule(
      value = "self.all(d, self.exists_one(x, x == d))",
      message = "spec.recurrence.weekly.days must not repeat a day")
  @JsonPropertyDescription("Days of the week on which the window starts, e.g. [Monday, Thursday].")
  private List<Weekday> days;

  public List<Weekday> getDays() {
    return days;
  }

  public void setDays(List<Weekday> days) {
    this.days = days;
  }
}
