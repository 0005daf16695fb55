package io.patchwarden.operator.gateway;

import io.patchwarden.api.agent.AgentInventory;
import io.patchwarden.api.agent.CheckinRequest;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.agent.ResultReport;
import io.patchwarden.api.common.Patterns;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.endpoint.UpdateOutcome;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks agent requests beyond what JSON binding checks (types, enum values): required fields,
 * sizes, formats. The first problem is reported, as a 400 naming the field. Pure.
 */
public final class RequestValidator {
  /** How many pending updates an agent may send; beyond the inventory's cap they are counted. */
  static final int MAX_PENDING_UPDATES_IN_REQUEST = 10_000;

  private static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$");
  private static final Pattern CVE = Pattern.compile(Patterns.CVE_ID);
  private static final Pattern DATE_OR_TIMESTAMP = Pattern.compile(Patterns.DATE_OR_TIMESTAMP);
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");

  private RequestValidator() {}

  public static Optional<Violation> enroll(EnrollRequest r) {
    if (r == null) {
      return violation("", "a JSON object is required");
    }
    return first(
        required(r.token(), "/token", 512),
        matches(
            r.machineId(), "/machineId", MACHINE_ID, "8-128 letters, digits, '.', '_', ':' or '-'"),
        required(r.hostname(), "/hostname", 253),
        r.osFamily() == null ? violation("/osFamily", "is required") : Optional.empty(),
        optional(r.osName(), "/osName", 128),
        optional(r.osVersion(), "/osVersion", 64),
        optional(r.architecture(), "/architecture", 32),
        timeZone(r.timeZone(), "/timeZone"),
        optional(r.agentVersion(), "/agentVersion", 64),
        labels(r.labels()));
  }

  public static Optional<Violation> checkin(CheckinRequest r) {
    if (r == null || r.inventory() == null) {
      return violation("/inventory", "is required");
    }
    AgentInventory i = r.inventory();
    Optional<Violation> fields =
        first(
            optional(i.hostname(), "/inventory/hostname", 253),
            i.osFamily() == null
                ? violation("/inventory/osFamily", "is required")
                : Optional.empty(),
            optional(i.osName(), "/inventory/osName", 128),
            optional(i.osVersion(), "/inventory/osVersion", 64),
            optional(i.kernelVersion(), "/inventory/kernelVersion", 128),
            optional(i.architecture(), "/inventory/architecture", 32),
            timeZone(i.timeZone(), "/inventory/timeZone"),
            optional(i.agentVersion(), "/inventory/agentVersion", 64),
            i.installedUpdateCount() != null && i.installedUpdateCount() < 0
                ? violation("/inventory/installedUpdateCount", "must not be negative")
                : Optional.empty(),
            timestamp(i.scannedAt(), "/inventory/scannedAt"));
    return fields.isPresent() ? fields : pendingUpdates(i.pendingUpdates());
  }

  public static Optional<Violation> result(ResultReport r) {
    if (r == null) {
      return violation("", "a JSON object is required");
    }
    Optional<Violation> run = required(r.run(), "/run", 253);
    if (run.isPresent()) {
      return run;
    }
    if (r.updates() == null) {
      return violation("/updates", "is required");
    }
    if (r.updates().size() > 500) {
      return violation("/updates", "must not list more than 500 updates");
    }
    for (int n = 0; n < r.updates().size(); n++) {
      UpdateOutcome o = r.updates().get(n);
      String at = "/updates/" + n;
      Optional<Violation> v =
          o == null
              ? violation(at, "must not be null")
              : first(
                  required(o.getId(), at + "/id", 256),
                  o.getResult() == null
                      ? violation(at + "/result", "is required")
                      : Optional.empty(),
                  optional(o.getMessage(), at + "/message", 1024));
      if (v.isPresent()) {
        return v;
      }
    }
    return timestamp(r.finishedAt(), "/finishedAt");
  }

  private static Optional<Violation> pendingUpdates(List<PendingUpdate> updates) {
    if (updates == null) {
      return Optional.empty();
    }
    if (updates.size() > MAX_PENDING_UPDATES_IN_REQUEST) {
      return violation(
          "/inventory/pendingUpdates",
          "must not list more than " + MAX_PENDING_UPDATES_IN_REQUEST + " updates");
    }
    for (int n = 0; n < updates.size(); n++) {
      PendingUpdate u = updates.get(n);
      String at = "/inventory/pendingUpdates/" + n;
      if (u == null) {
        return violation(at, "must not be null");
      }
      Optional<Violation> v =
          first(
              required(u.getId(), at + "/id", 256),
              optional(u.getPackageName(), at + "/package", 256),
              optional(u.getVersion(), at + "/version", 256),
              optional(u.getInstalledVersion(), at + "/installedVersion", 256),
              optional(u.getSource(), at + "/source", 256),
              date(u.getReleaseDate(), at + "/releaseDate"),
              cves(u.getCves(), at + "/cves"));
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> cves(List<String> cves, String at) {
    if (cves == null) {
      return Optional.empty();
    }
    if (cves.size() > 64) {
      return violation(at, "must not list more than 64 CVE ids");
    }
    for (int n = 0; n < cves.size(); n++) {
      if (cves.get(n) == null || !CVE.matcher(cves.get(n)).matches()) {
        return violation(at + "/" + n, "must look like CVE-2024-3094");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> labels(Map<String, String> labels) {
    if (labels == null) {
      return Optional.empty();
    }
    if (labels.size() > 32) {
      return violation("/labels", "must not hold more than 32 labels");
    }
    for (var e : labels.entrySet()) {
      if (!LABEL_KEY.matcher(e.getKey()).matches()) {
        return violation("/labels/" + e.getKey(), "is not a valid Kubernetes label key");
      }
      if (e.getValue() == null || !LABEL_VALUE.matcher(e.getValue()).matches()) {
        return violation("/labels/" + e.getKey(), "is not a valid Kubernetes label value");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> timeZone(String zone, String at) {
    if (zone == null) {
      return Optional.empty();
    }
    try {
      ZoneId.of(zone);
      return Optional.empty();
    } catch (DateTimeException e) {
      return violation(at, "'" + zone + "' is not an IANA time zone");
    }
  }

  private static Optional<Violation> timestamp(String value, String at) {
    return value == null || DATE_OR_TIMESTAMP.matcher(value).matches()
        ? Optional.empty()
        : violation(at, "must be an RFC 3339 timestamp");
  }

  private static Optional<Violation> date(String value, String at) {
    return value == null || DATE_OR_TIMESTAMP.matcher(value).matches()
        ? Optional.empty()
        : violation(at, "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp");
  }

  private static Optional<Violation> required(String value, String at, int max) {
    if (value == null || value.isBlank()) {
      return violation(at, "is required");
    }
    return optional(value, at, max);
  }

  private static Optional<Violation> optional(String value, String at, int max) {
    return value != null && value.length() > max
        ? violation(at, "must be at most " + max + " characters")
        : Optional.empty();
  }

  private static Optional<Violation> matches(String value, String at, Pattern p, String what) {
    if (value == null) {
      return violation(at, "is required");
    }
    return p.matcher(value).matches() ? Optional.empty() : violation(at, "must be " + what);
  }

  @SafeVarargs
  private static Optional<Violation> first(Optional<Violation>... checks) {
    for (Optional<Violation> c : checks) {
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(String field, String message) {
    return Optional.of(new Violation(field, message));
  }
}
