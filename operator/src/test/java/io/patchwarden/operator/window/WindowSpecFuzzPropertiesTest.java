package io.patchwarden.operator.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchwarden.api.window.MaintenanceWindow;
import io.patchwarden.api.window.MaintenanceWindowStatus;
import io.patchwarden.operator.status.StatusWriter;
import io.patchwarden.operator.testing.SpecFuzz;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random MaintenanceWindows that the generated CRD admits (schema and CEL), fed to the real {@link
 * MaintenanceWindowReconciler#reconcile} (it reads nothing from its Context): nothing escapes,
 * every window ends with a Ready condition, valid ones Ready=True with their next occurrences,
 * injected faults Ready=False with their specific reason and a message naming the field (see {@link
 * SpecFuzz}). The tally of outcomes is printed.
 */
class WindowSpecFuzzPropertiesTest {
  static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
  private static final SpecFuzz.Tally TALLY = new SpecFuzz.Tally();

  private final MaintenanceWindowReconciler reconciler =
      new MaintenanceWindowReconciler(
          new StatusWriter(false),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new WindowGauges(new SimpleMeterRegistry()));

  @Provide
  Arbitrary<SpecFuzz.Case> windows() {
    return Arbitraries.randomValue(r -> new SpecFuzz(r).window());
  }

  @Property(tries = 500, seed = "20261207", shrinking = ShrinkingMode.OFF)
  void everyAdmittedWindowEndsReadyOrNotReadyForASpecificReason(
      @ForAll("windows") SpecFuzz.Case c) {
    Assume.that(c.admitted(TALLY));
    MaintenanceWindow window = SpecFuzz.resource(c, MaintenanceWindow.class, "fuzz");

    MaintenanceWindowStatus status =
        reconciler.reconcile(window, null).getResource().orElseThrow().getStatus();

    String outcome = SpecFuzz.verdict(c, status.getConditions(), 1);
    TALLY.add(c.mode() + " -> " + outcome);
    if (outcome.startsWith("Ready=true") && !"Local".equals(c.spec().path("timeZone").asText())) {
      assertThat(status.getOpen()).as("open for %s", c).isNotNull();
      assertThat(status.getOpen() || !status.getNextOccurrences().isEmpty())
          .as("open now or opening later: %s", c)
          .isTrue();
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("MaintenanceWindow fuzz (reconciler, " + TALLY.total("") + " cases):");
    System.out.print(TALLY);
    TALLY.requireEach(
        List.of(
            "unknown-zone",
            "unknown-fallback-zone",
            "duration-out-of-range",
            "duration-huge",
            "once-in-the-past",
            "once-not-a-date",
            "cron-malformed",
            "cron-never",
            "active-until-passed",
            "everything-excluded",
            "active-from-not-a-date",
            "exclusion-not-a-date",
            "wild",
            "valid"),
        20);
  }
}
