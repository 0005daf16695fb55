package io.patchwarden.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.policy.Wave;
import io.patchwarden.operator.support.Durations;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run's waves are read from its spec, which may have been written by hand. */
class RunWavesTest {
  private static Wave wave(String name, Integer percent, String soak) {
    Wave w = new Wave();
    w.setName(name);
    w.setPercent(percent);
    w.setSoak(soak);
    return w;
  }

  @Test
  void soaksAreRead() {
    assertThat(Rollouts.waveDefs(List.of(wave("pilot", 10, "1d12h"), wave("all", 100, null))))
        .containsExactly(
            new WaveDef("pilot", null, 10, Duration.ofHours(36)),
            new WaveDef("all", null, 100, Duration.ZERO));
  }

  @Test
  void aSoakTooLargeToReadHoldsTheNextWaveInsteadOfFailingThePolicy() {
    // Found by SpecFuzzMockServerTest: a hand-written PatchRun with soak 690662452165h made every
    // pass of its policy throw out of reconcile.
    List<WaveDef> waves =
        Rollouts.waveDefs(List.of(wave("pilot", 10, "690662452165h"), wave("all", 100, "1h")));

    assertThat(waves.get(0).soak()).isEqualTo(Durations.MAX);
    assertThat(waves.get(1).soak()).isEqualTo(Duration.ofHours(1));
  }
}
