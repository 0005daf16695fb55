package io.patchwarden.api.group;

/** How much harm a failed or late patch on the group's members would do. */
public enum RiskTier {
  Critical,
  High,
  Standard,
  Low
}
