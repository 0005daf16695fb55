package io.patchwarden.agent.backend.dnf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code dnf -q check-update}: the newest available version of every upgradable package, with
 * the repository it comes from, including packages no advisory covers.
 *
 * <pre>
 * openssl.x86_64                 1:3.0.7-27.el9_4                 baseos
 * </pre>
 */
public final class CheckUpdateParser {

  /**
   * One upgradable package.
   *
   * @param nevra the candidate
   * @param repository the repository that carries it
   */
  public record Available(Nevra nevra, String repository) {}

  private CheckUpdateParser() {}

  public static List<Available> parse(String output) {
    List<Available> result = new ArrayList<>();
    String pending = null; // dnf wraps a long name onto a line of its own
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("Obsoleting Packages")) {
        break; // what follows repeats packages, as "obsoleter / obsoleted" pairs
      }
      if (line.isEmpty()) {
        continue;
      }
      String[] tokens = line.split("\\s+");
      if (tokens.length == 1 && pending == null && tokens[0].contains(".")) {
        pending = tokens[0];
        continue;
      }
      if (pending != null && tokens.length == 2) {
        tokens = new String[] {pending, tokens[0], tokens[1]};
      }
      pending = null;
      if (tokens.length != 3) {
        continue;
      }
      String repository = tokens[2];
      Nevra.of(tokens[0], tokens[1]).ifPresent(n -> result.add(new Available(n, repository)));
    }
    return result;
  }
}
