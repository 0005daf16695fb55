package io.patchwarden.agent.backend.apt;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code dpkg-query -W} output in the formats the apt backend asks for. */
final class DpkgQuery {

  /** {@code dpkg-query -f '${db:Status-Status}\n' -W}: one status per known package. */
  static final List<String> STATUS_COMMAND =
      List.of("dpkg-query", "-f", "${db:Status-Status}\\n", "-W");

  /** The format of {@link #versions}: name, architecture, version, status. */
  static final String VERSION_FORMAT =
      "${Package}\\t${Architecture}\\t${Version}\\t${db:Status-Status}\\n";

  /**
   * One package instance as dpkg knows it.
   *
   * @param name package name, without architecture
   * @param architecture its architecture
   * @param version its version
   * @param installed whether it is fully installed
   */
  record Installed(String name, String architecture, String version, boolean installed) {}

  private DpkgQuery() {}

  /**
   * Packages that are fully installed. Removed-but-configured (config-files) and half-installed
   * packages are known to dpkg but are not software on the machine.
   */
  static int countInstalled(String statusOutput) {
    int count = 0;
    for (String line : statusOutput.split("\n")) {
      if (line.strip().equals("installed")) {
        count++;
      }
    }
    return count;
  }

  static List<Installed> versions(String output) {
    List<Installed> result = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 4) {
        result.add(new Installed(f[0], f[1], f[2], f[3].strip().equals("installed")));
      }
    }
    return result;
  }
}
