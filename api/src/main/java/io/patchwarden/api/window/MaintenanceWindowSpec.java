package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.patchwarden.api.common.Patterns;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.activeFrom) || !has(self.activeUntil) || self.activeFrom <= self.activeUntil",
    message = "spec.activeFrom must not be after spec.activeUntil")
@ValidationRule(
    value =
        "!has(self.exclusions) || self.exclusions.all(e, self.exclusions.exists_one(x, x.name == e.name))",
    message = "spec.exclusions names must be unique")
@ValidationRule(
    value = "has(self.start) != has(self.recurrence.cron)",
    message = "spec.start is required, except with spec.recurrence.cron (the cron gives the start)")
public class MaintenanceWindowSpec {

  @Default("UTC")
  @Size(max = 64)
  @Pattern(Patterns.TIME_ZONE)
  @JsonPropertyDescription(
      "IANA time zone in which start and the recurrence are read, e.g. Europe/Berlin (default UTC)."
          + " 'Local' means each target's own time zone: the endpoint's reported zone, or a node's"
          + " patchwarden.io/time-zone label; targets with no known zone use fallbackTimeZone.")
  private String timeZone;

  @Default("UTC")
  @Size(max = 64)
  @Pattern(Patterns.TIME_ZONE)
  @JsonPropertyDescription(
      "IANA time zone used for targets with no known zone when timeZone is 'Local' (default UTC).")
  private String fallbackTimeZone;

  @Required
  @JsonPropertyDescription("How the window recurs: exactly one of weekly, monthly, cron or once.")
  private Recurrence recurrence;

  @Pattern(Patterns.TIME_OF_DAY)
  @JsonPropertyDescription(
      "Local start time, HH:MM (24-hour). With cron the cron expression gives the start and this"
          + " field must be omitted.")
  private String start;

  @Required
  @Size(min = 2, max = 16)
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "How long each occurrence lasts, e.g. 90m, 4h, 1d12h; at least 15m, at most 7d. An"
          + " occurrence may cross midnight.")
  private String duration;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Dated ranges during which the window is closed (change freezes, e.g. year-end closing).")
  private List<Exclusion> exclusions;

  @Pattern(Patterns.DATE_OR_TIMESTAMP)
  @JsonPropertyDescription(
      "The window never opens before this date (window's time zone) or RFC 3339 timestamp.")
  private String activeFrom;

  @Pattern(Patterns.DATE_OR_TIMESTAMP)
  @JsonPropertyDescription(
      "The window never opens after this date (inclusive, window's time zone) or RFC 3339"
          + " timestamp.")
  private String activeUntil;

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getFallbackTimeZone() {
    return fallbackTimeZone;
  }

  public void setFallbackTimeZone(String fallbackTimeZone) {
    this.fallbackTimeZone = fallbackTimeZone;
  }

  public Recurrence getRecurrence() {
    return recurrence;
  }

  public void setRecurrence(Recurrence recurrence) {
    this.recurrence = recurrence;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public List<Exclusion> getExclusions() {
    return exclusions;
  }

  public void setExclusions(List<Exclusion> exclusions) {
    this.exclusions = exclusions;
  }

  public String getActiveFrom() {
    return activeFrom;
  }

  public void setActiveFrom(String activeFrom) {
    this.activeFrom = activeFrom;
  }

  public String getActiveUntil() {
    return activeUntil;
  }

  public void setActiveUntil(String activeUntil) {
    this.activeUntil = activeUntil;
  }
}
