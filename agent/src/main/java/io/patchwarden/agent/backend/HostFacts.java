package io.patchwarden.agent.backend;

import io.patchwarden.api.common.OsFamily;
import io.patchwarden.api.common.Patterns;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * What identifies the machine beyond its packages: reported at enrollment and in every inventory.
 *
 * @param hostname hostname
 * @param osFamily OS family
 * @param osName OS name, e.g. Ubuntu
 * @param osVersion OS version, e.g. 22.04
 * @param architecture CPU architecture, e.g. amd64
 * @param timeZone IANA time zone; maintenance windows are evaluated in it
 */
public record HostFacts(
    String hostname,
    OsFamily osFamily,
    String osName,
    String osVersion,
    String architecture,
    String timeZone) {

  private static final Pattern TIME_ZONE = Pattern.compile(Patterns.TIME_ZONE);

  /** The facts of the machine the agent runs on. */
  public static HostFacts detect() {
    OsRelease os = OsRelease.read(OsRelease.DEFAULT);
    return new HostFacts(
        detectHostname(),
        os.family(),
        os.name(),
        os.versionId(),
        detectArchitecture(),
        detectTimeZone());
  }

  /**
   * The kernel's idea of the hostname first: resolving the local host name through DNS can hang for
   * seconds on a machine with broken name resolution.
   */
  static String detectHostname() {
    for (Path file : new Path[] {Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname")}) {
      try {
        String name = Files.readString(file).strip();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException e) {
        // try the next source
      }
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Debian's names (amd64, arm64), which Debian and Windows tooling also use. */
  static String detectArchitecture() {
    String arch = System.getProperty("os.arch", "unknown");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  /**
   * The JVM's zone, unless it is an offset such as {@code +02:00} that is no IANA name: then UTC,
   * which the gateway accepts and which is honest about not knowing the local rules.
   */
  static String detectTimeZone() {
    String zone = ZoneId.systemDefault().getId();
    return TIME_ZONE.matcher(zone).matches() ? zone : "UTC";
  }
}
