package io.patchwarden.operator.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Builds timelines from MaintenanceWindow spec YAML, as the operator does. */
final class Windows {
  private Windows() {}

  /** The timeline of a spec with a fixed zone; the spec must pass validation. */
  static Timeline timeline(String yaml) {
    MaintenanceWindowSpec spec = Serialization.unmarshal(yaml, MaintenanceWindowSpec.class);
    assertThat(MaintenanceWindowValidator.validate(spec))
        .as("problems in the test's spec")
        .isEmpty();
    return WindowSchedules.from(spec).in(WindowSchedules.fixedZone(spec).orElseThrow());
  }

  static Instant utc(String localDateTime) {
    return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
  }

  /** A wall-clock time in a zone; must be unambiguous (not in a gap or an overlap). */
  static Instant local(String localDateTime, String zone) {
    LocalDateTime local = LocalDateTime.parse(localDateTime);
    ZoneId id = ZoneId.of(zone);
    assertThat(id.getRules().getValidOffsets(local)).as("unambiguous " + local).hasSize(1);
    return local.atZone(id).toInstant();
  }

  static Interval interval(Instant start, Instant end) {
    return new Interval(start, end);
  }

  static Interval utcInterval(String start, String end) {
    return new Interval(utc(start), utc(end));
  }
}
