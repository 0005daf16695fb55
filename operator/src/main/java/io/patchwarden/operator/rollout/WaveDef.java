package io.patchwarden.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One wave of a rollout: the members of a group, or a percentage of the targets not in an earlier
 * wave. Pure value.
 *
 * @param group the EndpointGroup whose members form the wave, or null
 * @param percent the share of the remaining targets (1..100), or null
 * @param soak how long to wait after the wave finished before the next one starts
 */
public record WaveDef(String name, String group, Integer percent, Duration soak) {

  /** The implicit last wave for targets no declared wave takes. */
  public static final String REMAINING = "remaining";

  public WaveDef {
    soak = soak == null ? Duration.ZERO : soak;
  }

  /**
   * The waves a run goes through: the declared ones, plus {@value #REMAINING} when they may leave
   * targets out (the last one is not 100%), so that every target is patched eventually. No declared
   * waves: one wave with every target.
   */
  public static List<WaveDef> complete(List<WaveDef> declared) {
    if (declared.isEmpty()) {
      return List.of(new WaveDef("all", null, 100, Duration.ZERO));
    }
    WaveDef last = declared.get(declared.size() - 1);
    if (last.percent() != null && last.percent() == 100) {
      return List.copyOf(declared);
    }
    List<WaveDef> waves = new java.util.ArrayList<>(declared);
    waves.add(new WaveDef(REMAINING, null, 100, Duration.ZERO));
    return List.copyOf(waves);
  }

  /**
   * The index of the wave a target belongs to. Group waves take their members first come, in order;
   * percentage waves split the hash space of (target uid, run): wave k with p% takes p% of what the
   * earlier percentage waves left. A target's wave therefore depends only on itself, the run and
   * its groups — re-planning after a restart, or with targets added, never moves it.
   */
  public static int waveOf(String uid, Set<String> groups, List<WaveDef> waves, String run) {
    double h = hash(uid, run);
    double taken = 0; // share of the hash space taken by earlier percentage waves
    for (int i = 0; i < waves.size(); i++) {
      WaveDef w = waves.get(i);
      if (w.group() != null) {
        if (groups.contains(w.group())) {
          return i;
        }
        continue;
      }
      double upTo = taken + (1 - taken) * w.percent() / 100.0;
      if (h < upTo || w.percent() == 100) {
        return i;
      }
      taken = upTo;
    }
    return waves.size() - 1;
  }

  /** A stable value in [0, 1) for a target in a run. */
  static double hash(String uid, String run) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((uid + "/" + run).getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
