package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.status.StatusAggregator;
import io.patchwarden.operator.support.Timestamps;
import io.patchwarden.operator.testing.SpecFuzz;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random EndpointGroups that the generated CRD admits, through what the reconciler does with them
 * (validate, convert the selectors, count a member seen just now and one seen long ago, derive the
 * conditions): nothing throws, and the conditions name a specific reason and field (see {@link
 * SpecFuzz}). The reconciler itself runs on the same cases in {@code SpecFuzzMockServerTest}.
 */
class GroupSpecFuzzPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
  private static final SpecFuzz.Tally TALLY = new SpecFuzz.Tally();

  @Provide
  Arbitrary<SpecFuzz.Case> groups() {
    return Arbitraries.randomValue(r -> new SpecFuzz(r).group());
  }

  @Property(tries = 1500, seed = "20261207", shrinking = ShrinkingMode.OFF)
  void everyAdmittedGroupIsCountedOrNotReadyForASpecificReason(@ForAll("groups") SpecFuzz.Case c) {
    Assume.that(c.admitted(TALLY));
    EndpointGroup group = SpecFuzz.resource(c, EndpointGroup.class, "fuzz");

    List<SpecProblem> problems = EndpointGroupValidator.validate(group.getSpec());
    var conditions = new StatusAggregator(null, 1, NOW);
    if (problems.isEmpty()) {
      Map<String, String> labels = Map.of(SpecFuzz.MEMBER_KEY, SpecFuzz.MEMBER_VALUE);
      for (var selector :
          java.util.Arrays.asList(
              group.getSpec().getEndpointSelector(), group.getSpec().getNodeSelector())) {
        if (selector != null) {
          Selectors.from(selector).matches(labels);
        }
      }
      Duration staleAfter = Staleness.staleAfter(group.getSpec().getStaleAfter());
      EndpointCensus census =
          EndpointCensus.of(
              List.of(
                  new EndpointCensus.Member(OsFamily.Debian, Timestamps.format(NOW)),
                  new EndpointCensus.Member(null, Timestamps.format(NOW.minus(staleAfter))),
                  new EndpointCensus.Member(OsFamily.Windows, null)),
              staleAfter,
              NOW);
      assertThat(census.stale()).as("stale members of %s", c).isEqualTo(2);
      assertThat(census.nextStale()).as("next stale of %s", c).contains(NOW.plus(staleAfter));
      conditions.ready(Reason.SpecValid, "counted");
    } else {
      conditions.invalid(problems);
    }

    TALLY.add(c.mode() + " -> " + SpecFuzz.verdict(c, conditions.build(), 1));
  }

  @AfterContainer
  static void report() {
    System.out.println("EndpointGroup fuzz (validator + census, " + TALLY.total("") + " cases):");
    System.out.print(TALLY);
    TALLY.requireEach(
        List.of(
            "unknown-operator",
            "set-operator-without-values",
            "existence-operator-with-values",
            "expression-without-key",
            "stale-after-too-short",
            "stale-after-huge",
            "wild",
            "valid"),
        20);
  }
}
