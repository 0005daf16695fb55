package io.patchwarden.operator.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.window.MaintenanceWindowSpec;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** What the MaintenanceWindow status says, from spec and clock alone. */
class WindowEvaluationTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z"); // a Monday

  private static MaintenanceWindowSpec spec(String yaml) {
    return Serialization.unmarshal(yaml, MaintenanceWindowSpec.class);
  }

  @Test
  void aFixedZoneWindowReportsItsCurrentAndNextOccurrencesAndTheNextChange() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                timeZone: Europe/Berlin
                recurrence: {weekly: {days: [Monday, Wednesday]}}
                start: "12:30"
                duration: 2h
                """),
            NOW);

    assertThat(e.valid()).isTrue();
    assertThat(e.zone()).contains(ZoneId.of("Europe/Berlin"));
    assertThat(e.current()).contains(interval("2026-11-23T11:30:00Z", "2026-11-23T13:30:00Z"));
    assertThat(e.next())
        .containsExactly(
            interval("2026-11-25T11:30:00Z", "2026-11-25T13:30:00Z"),
            interval("2026-11-30T11:30:00Z", "2026-11-30T13:30:00Z"),
            interval("2026-12-02T11:30:00Z", "2026-12-02T13:30:00Z"));
    assertThat(e.nextChange()).contains(Instant.parse("2026-11-23T13:30:00Z"));
    assertThat(e.summary()).isEqualTo("Open until 2026-11-23T13:30:00Z.");
  }

  @Test
  void aClosedWindowSaysWhenItOpens() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {weekly: {days: [Saturday]}}
                start: "22:00"
                duration: 6h
                """),
            NOW);

    assertThat(e.current()).isEmpty();
    assertThat(e.nextChange()).contains(Instant.parse("2026-11-28T22:00:00Z"));
    assertThat(e.summary()).isEqualTo("Closed; opens next at 2026-11-28T22:00:00Z.");
  }

  @Test
  void aLocalWindowHasNoSingleOpenState() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                timeZone: Local
                fallbackTimeZone: America/Chicago
                recurrence: {monthly: {week: Last, day: Saturday}}
                start: "22:00"
                duration: 6h
                """),
            NOW);

    assertThat(e.valid()).isTrue();
    assertThat(e.zone()).isEmpty();
    assertThat(e.current()).isEmpty();
    assertThat(e.next()).isEmpty();
    assertThat(e.nextChange()).as("no reschedule needed").isEmpty();
    assertThat(e.summary()).contains("each target's own time zone").contains("America/Chicago");
  }

  @Test
  void aOnceWindowInThePastNeverOpensAndSaysWhichField() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {once: "2026-01-10"}
                start: "20:00"
                duration: 4h
                """),
            NOW);

    assertThat(e.valid()).isFalse();
    assertThat(e.problems())
        .extracting(SpecProblem::reason, SpecProblem::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Reason.NeverOpens, "spec.recurrence.once"));
  }

  @Test
  void aWindowWhoseActiveRangeHasPassedNeverOpens() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {weekly: {days: [Tuesday]}}
                start: "20:00"
                duration: 4h
                activeUntil: "2026-06-30"
                """),
            NOW);

    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("spec.activeUntil"));
  }

  @Test
  void anExclusionCoveringEverythingUntilActiveUntilIsNamed() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {weekly: {days: [Tuesday]}}
                start: "20:00"
                duration: 4h
                activeUntil: "2027-03-31"
                exclusions:
                  - {name: migration, from: "2026-11-01", to: "2027-04-30"}
                """),
            NOW);

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.NeverOpens);
              assertThat(p.field()).isEqualTo("spec.exclusions");
            });
  }

  @Test
  void aCronDateThatNeverExistsIsBlamedEvenWhenTheWindowAlsoHasExclusions() {
    // Found by WindowSpecFuzzPropertiesTest: a harmless freeze took the blame.
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {cron: "0 0 30 2 *"}
                duration: 3h
                exclusions: [{name: freeze, from: "2027-05-01", to: "2027-05-16"}]
                """),
            NOW);

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.NeverOpens);
              assertThat(p.field()).isEqualTo("spec.recurrence");
            });
  }

  @Test
  void aCronDateThatNeverExistsNeverOpens() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                recurrence: {cron: "0 3 30 2 *"}
                duration: 1h
                """),
            NOW);

    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("spec.recurrence"));
  }

  @Test
  void validationProblemsComeFirstAndNothingIsComputed() {
    WindowEvaluation e =
        WindowEvaluation.of(
            spec(
                """
                timeZone: Europe/Berlinn
                recurrence: {weekly: {days: [Tuesday]}}
                start: "20:00"
                duration: 4h
                """),
            NOW);

    assertThat(e.problems())
        .extracting(SpecProblem::reason)
        .containsExactly(Reason.InvalidTimeZone);
    assertThat(e.next()).isEmpty();
    assertThat(e.nextChange()).isEmpty();
  }

  private static Interval interval(String start, String end) {
    return new Interval(Instant.parse(start), Instant.parse(end));
  }
}
