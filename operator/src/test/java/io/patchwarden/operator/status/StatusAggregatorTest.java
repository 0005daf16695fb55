package io.patchwarden.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant T1 = Instant.parse("2026-11-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-02T10:00:00Z");

  @Test
  void firstReadyGetsTheCurrentTimeAndGeneration() {
    List<Condition> conditions =
        new StatusAggregator(null, 3, T1).ready(Reason.SpecValid, "fine").build();

    assertThat(conditions).hasSize(1);
    Condition ready = conditions.get(0);
    assertThat(ready.getType()).isEqualTo("Ready");
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.TRUE);
    assertThat(ready.getReason()).isEqualTo("SpecValid");
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
  }

  @Test
  void unchangedStatusAndReasonKeepTheTransitionTimeButTakeTheNewGenerationAndMessage() {
    List<Condition> before = new StatusAggregator(null, 1, T1).ready(Reason.SpecValid, "a").build();

    List<Condition> after =
        new StatusAggregator(before, 2, T2).ready(Reason.SpecValid, "b").build();

    assertThat(after.get(0).getLastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
    assertThat(after.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(after.get(0).getMessage()).isEqualTo("b");
  }

  @Test
  void aChangedReasonWithTheSameStatusIsATransition() {
    var problem = new SpecProblem(Reason.InvalidCron, "spec.recurrence.cron", "bad");
    List<Condition> before = new StatusAggregator(null, 1, T1).invalid(List.of(problem)).build();
    var other = new SpecProblem(Reason.InvalidTimeZone, "spec.timeZone", "unknown");

    List<Condition> after = new StatusAggregator(before, 2, T2).invalid(List.of(other)).build();

    assertThat(after.get(0).getReason()).isEqualTo("InvalidTimeZone");
    assertThat(after.get(0).getLastTransitionTime()).isEqualTo("2026-11-02T10:00:00Z");
  }

  @Test
  void invalidSetsReadyFalseAndStalledWithEveryProblemInTheMessage() {
    List<Condition> conditions =
        new StatusAggregator(null, 1, T1)
            .invalid(
                List.of(
                    new SpecProblem(Reason.InvalidTimeZone, "spec.timeZone", "unknown zone 'X'"),
                    new SpecProblem(Reason.InvalidDuration, "spec.duration", "too short")))
            .build();

    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready", "Stalled");
    assertThat(conditions.get(0).getStatus()).isEqualTo(ConditionStatus.FALSE);
    assertThat(conditions.get(0).getReason()).isEqualTo("InvalidTimeZone");
    assertThat(conditions.get(0).getMessage())
        .isEqualTo("spec.timeZone: unknown zone 'X'; spec.duration: too short");
    assertThat(conditions.get(1).getStatus()).isEqualTo(ConditionStatus.TRUE);
  }

  @Test
  void stalledDisappearsOnceTheSpecIsFixed() {
    var problem = new SpecProblem(Reason.InvalidCron, "spec.recurrence.cron", "bad");
    List<Condition> before = new StatusAggregator(null, 1, T1).invalid(List.of(problem)).build();

    List<Condition> after =
        new StatusAggregator(before, 2, T2).ready(Reason.SpecValid, "ok").build();

    assertThat(after).extracting(Condition::getType).containsExactly("Ready");
    assertThat(after.get(0).getLastTransitionTime()).isEqualTo("2026-11-02T10:00:00Z");
  }

  @Test
  void readyIsMandatory() {
    var aggregator =
        new StatusAggregator(null, 1, T1).set("Compliant", ConditionStatus.TRUE, "AllPatched", "");
    assertThatThrownBy(aggregator::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidWithoutProblemsIsAProgrammingError() {
    assertThatThrownBy(() -> new StatusAggregator(null, 1, T1).invalid(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
