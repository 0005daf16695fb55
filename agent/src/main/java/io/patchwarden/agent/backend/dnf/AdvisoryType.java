package io.patchwarden.agent.backend.dnf;

import io.patchwarden.api.common.Classification;
import java.util.Locale;

/** The advisory types of updateinfo.xml, and what they mean for approval rules. */
public enum AdvisoryType {
  SECURITY(Classification.Security),
  BUGFIX(Classification.Bugfix),
  ENHANCEMENT(Classification.Enhancement),
  NEWPACKAGE(Classification.Other),
  UNKNOWN(Classification.Other);

  private final Classification classification;

  AdvisoryType(Classification classification) {
    this.classification = classification;
  }

  public Classification classification() {
    return classification;
  }

  public static AdvisoryType of(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "security" -> SECURITY;
      case "bugfix" -> BUGFIX;
      case "enhancement" -> ENHANCEMENT;
      case "newpackage" -> NEWPACKAGE;
      default -> UNKNOWN;
    };
  }
}
