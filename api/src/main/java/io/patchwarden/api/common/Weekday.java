package io.patchwarden.api.common;

/** A day of the week, full English name. */
public enum Weekday {
  Monday,
  Tuesday,
  Wednesday,
  Thursday,
  Friday,
  Saturday,
  Sunday;

  public java.time.DayOfWeek toDayOfWeek() {
    return java.time.DayOfWeek.of(ordinal() + 1);
  }
}
