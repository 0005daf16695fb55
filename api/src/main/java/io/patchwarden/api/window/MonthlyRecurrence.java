package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Weekday;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.week) == has(self.day)",
    message = "spec.recurrence.monthly.week and spec.recurrence.monthly.day must be set together")
@ValidationRule(
    value = "has(self.week) != has(self.dayOfMonth)",
    message = "spec.recurrence.monthly must set either week+day or dayOfMonth, not both")
@ValidationRule(
    value = "!has(self.offsetDays) || has(self.week)",
    message = "spec.recurrence.monthly.offsetDays applies only with week+day")
@ValidationRule(
    value = "!has(self.dayOfMonth) || self.dayOfMonth != 0",
    message = "spec.recurrence.monthly.dayOfMonth must be 1..31 or -1 (last day)")
public class MonthlyRecurrence {

  @JsonPropertyDescription(
      "Which occurrence of day in the month: First, Second, Third, Fourth, Last.")
  private WeekOfMonth week;

  @JsonPropertyDescription("The weekday, e.g. Tuesday (with week: Second = Patch Tuesday).")
  private Weekday day;

  @Min(-30)
  @Max(30)
  @JsonPropertyDescription(
      "Days added to the ordinal weekday, -30..30; may cross into the next or previous month"
          + " (Patch Tuesday + 2 = the Thursday after).")
  private Integer offsetDays;

  @Min(-1)
  @Max(31)
  @JsonPropertyDescription(
      "Day of the month, 1..31, or -1 for the last day. Months without that day are skipped.")
  private Integer dayOfMonth;

  public WeekOfMonth getWeek() {
    return week;
  }

  public void setWeek(WeekOfMonth week) {
    this.week = week;
  }

  public Weekday getDay() {
    return day;
  }

  public void setDay(Weekday day) {
    this.day = day;
  }

  public Integer getOffsetDays() {
    return offsetDays;
  }

  public void setOffsetDays(Integer offsetDays) {
    this.offsetDays = offsetDays;
  }

  public Integer getDayOfMonth() {
    return dayOfMonth;
  }

  public void setDayOfMonth(Integer dayOfMonth) {
    this.dayOfMonth = dayOfMonth;
  }
}
