package io.patchwarden.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.PendingUpdate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PendingUpdatesTest {

  private static PendingUpdate update(String name, Classification c, Severity s) {
    PendingUpdate u = new PendingUpdate();
    u.setId(name + "=1");
    u.setPackageName(name);
    u.setClassification(c);
    u.setSeverity(s);
    return u;
  }

  @Test
  void capKeepsTheMostImportantAndOrderIsIndependentOfInput() {
    List<PendingUpdate> updates = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      updates.add(update(String.format("bugfix-%03d", i), Classification.Bugfix, null));
    }
    updates.add(update("zlib", Classification.Security, Severity.Low));
    updates.add(update("openssl", Classification.Security, Severity.Critical));
    List<PendingUpdate> shuffled = new ArrayList<>(updates);
    Collections.shuffle(shuffled, new Random(42));

    List<PendingUpdate> normalized = PendingUpdates.normalize(updates);

    assertThat(normalized).hasSize(PendingUpdates.MAX);
    assertThat(normalized)
        .extracting(PendingUpdate::getPackageName)
        .startsWith("openssl", "zlib", "bugfix-000", "bugfix-001");
    assertThat(PendingUpdates.normalize(shuffled)).containsExactlyElementsOf(normalized);
  }
}
