package io.patchwarden.api;

/** API group constants and the well-known labels and annotations of Patchwarden. */
public final class PatchwardenApi {
  public static final String GROUP = "patchwarden.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Label on a Node giving its IANA time zone, for windows with timeZone: Local. */
  public static final String TIME_ZONE_LABEL = "patchwarden.io/time-zone";

  /** Label on a Namespace marking it as a source of enrollment tokens. */
  public static final String ENROLLMENT_SOURCE_LABEL = "patchwarden.io/enrollment";

  private PatchwardenApi() {}
}
