package io.patchwarden.agent.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.agent.Json;
import io.patchwarden.api.common.Patterns;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedFleetDataTest {

  private static final LocalDate TODAY = LocalDate.of(2025, 3, 20);

  @Test
  void sameSeedSameMachines() throws Exception {
    Catalogue a = Catalogue.generate(7, TODAY);
    Catalogue b = Catalogue.generate(7, TODAY);
    for (int i = 0; i < 50; i++) {
      assertThat(Json.MAPPER.writeValueAsString(SimulatedMachine.create(a, 7, i)))
          .isEqualTo(Json.MAPPER.writeValueAsString(SimulatedMachine.create(b, 7, i)));
    }
  }

  @Test
  void otherSeedOtherMachines() {
    Catalogue a = Catalogue.generate(7, TODAY);
    Catalogue b = Catalogue.generate(8, TODAY);
    assertThat(SimulatedMachine.create(a, 7, 0).machineId())
        .isNotEqualTo(SimulatedMachine.create(b, 8, 0).machineId());
    List<String> hostsA =
        IntStream.range(0, 20)
            .mapToObj(i -> SimulatedMachine.create(a, 7, i).facts().osName())
            .toList();
    List<String> hostsB =
        IntStream.range(0, 20)
            .mapToObj(i -> SimulatedMachine.create(b, 8, i).facts().osName())
            .toList();
    assertThat(hostsA).isNotEqualTo(hostsB);
  }

  @Test
  void fleetHasEveryOsInPlausibleShares() {
    Catalogue catalogue = Catalogue.generate(1, TODAY);
    Map<OsProfile, Integer> counts = new EnumMap<>(OsProfile.class);
    Set<String> machineIds = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      SimulatedMachine m = SimulatedMachine.create(catalogue, 1, i);
      counts.merge(m.os(), 1, Integer::sum);
      machineIds.add(m.machineId());
      assertThat(m.machineId()).matches("^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$");
      assertThat(m.facts().timeZone()).matches(Patterns.TIME_ZONE);
      assertThat(m.installedCount()).isPositive();
    }
    assertThat(machineIds).hasSize(2000);
    assertThat(counts).containsOnlyKeys(OsProfile.values());
    assertThat(counts.get(OsProfile.UBUNTU_2204)).isBetween(400, 600); // 25%
    assertThat(counts.get(OsProfile.FEDORA_40)).isBetween(50, 150); // 5%
  }

  @Test
  void catalogueUpdatesAreValidForTheGateway() {
    Catalogue catalogue = Catalogue.generate(3, TODAY);
    for (OsProfile os : OsProfile.values()) {
      List<PendingUpdate> updates = catalogue.updatesFor(os);
      assertThat(updates).isNotEmpty();
      assertThat(updates).extracting(PendingUpdate::getId).doesNotHaveDuplicates();
      for (PendingUpdate u : updates) {
        assertThat(u.getReleaseDate()).matches(Patterns.DATE);
        assertThat(LocalDate.parse(u.getReleaseDate())).isBeforeOrEqualTo(TODAY);
        assertThat(u.getClassification()).isNotNull();
        assertThat(u.getSeverity()).isNotNull();
        if (u.getCves() != null) {
          assertThat(u.getCves())
              .hasSizeLessThanOrEqualTo(64)
              .allMatch(c -> c.matches(Patterns.CVE_ID));
        }
      }
    }
    assertThat(catalogue.updatesFor(OsProfile.WINDOWS_11))
        .anySatisfy(u -> assertThat(u.getId()).matches("KB\\d{7}"));
    assertThat(catalogue.updatesFor(OsProfile.DEBIAN_12))
        .allSatisfy(
            u -> assertThat(u.getId()).isEqualTo(u.getPackageName() + "=" + u.getVersion()));
  }

  @Test
  void patchTuesdayIsTheSecondTuesday() {
    assertThat(Catalogue.patchTuesday(LocalDate.of(2025, 3, 20))).isEqualTo("2025-03-11");
    assertThat(Catalogue.patchTuesday(LocalDate.of(2025, 3, 10))).isEqualTo("2025-02-11");
  }
}
