package io.patchwarden.api.window;

/** Which occurrence of a weekday in a month. */
public enum WeekOfMonth {
  First,
  Second,
  Third,
  Fourth,
  Last
}
