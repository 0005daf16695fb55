package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Patterns;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.weekly) ? 1 : 0) + (has(self.monthly) ? 1 : 0) + (has(self.cron) ? 1 : 0)"
            + " + (has(self.once) ? 1 : 0) == 1",
    message = "spec.recurrence must set exactly one of weekly, monthly, cron or once")
public class Recurrence {

  @JsonPropertyDescription("Every week on the given days.")
  private WeeklyRecurrence weekly;

  @JsonPropertyDescription(
      "Every month on an ordinal weekday (e.g. second Tuesday, plus offsetDays) or a day of the"
          + " month.")
  private MonthlyRecurrence monthly;

  @Size(min = 9, max = 128)
  @JsonPropertyDescription(
      "A standard 5-field cron expression (minute hour day-of-month month day-of-week) giving the"
          + " start times, read in the window's time zone; start must then be omitted.")
  private String cron;

  @Pattern(Patterns.DATE)
  @JsonPropertyDescription("A single date, YYYY-MM-DD.")
  private String once;

  public WeeklyRecurrence getWeekly() {
    return weekly;
  }

  public void setWeekly(WeeklyRecurrence weekly) {
    this.weekly = weekly;
  }

  public MonthlyRecurrence getMonthly() {
    return monthly;
  }

  public void setMonthly(MonthlyRecurrence monthly) {
    this.monthly = monthly;
  }

  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  public String getOnce() {
    return once;
  }

  public void setOnce(String once) {
    this.once = once;
  }
}
