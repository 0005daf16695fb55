package io.patchwarden.agent.backend;

import io.patchwarden.api.common.OsFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The distribution as {@code /etc/os-release} describes it (os-release(5)).
 *
 * @param id ID, e.g. ubuntu
 * @param idLike ID_LIKE entries, e.g. [debian]
 * @param name NAME, e.g. Ubuntu
 * @param versionId VERSION_ID, e.g. 22.04
 */
public record OsRelease(String id, List<String> idLike, String name, String versionId) {

  public static final Path DEFAULT = Path.of("/etc/os-release");

  /** Reads the file; an unreadable one means an unknown distribution, not a failure. */
  public static OsRelease read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      return new OsRelease("", List.of(), System.getProperty("os.name", "unknown"), null);
    }
  }

  public static OsRelease parse(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
    }
    String idLike = values.getOrDefault("ID_LIKE", "");
    return new OsRelease(
        values.getOrDefault("ID", "").toLowerCase(Locale.ROOT),
        idLike.isBlank() ? List.of() : Arrays.asList(idLike.toLowerCase(Locale.ROOT).split("\\s+")),
        values.getOrDefault("NAME", "Linux"),
        values.get("VERSION_ID"));
  }

  /** The family decides which package manager and which update semantics apply. */
  public OsFamily family() {
    for (String candidate : candidates()) {
      switch (candidate) {
        case "debian", "ubuntu", "raspbian", "linuxmint" -> {
          return OsFamily.Debian;
        }
        case "rhel", "fedora", "centos", "rocky", "almalinux", "ol", "amzn" -> {
          return OsFamily.RedHat;
        }
        case "suse", "sles", "opensuse", "opensuse-leap", "opensuse-tumbleweed" -> {
          return OsFamily.Suse;
        }
        default -> {}
      }
    }
    return OsFamily.Other;
  }

  private List<String> candidates() {
    List<String> all = new ArrayList<>();
    all.add(id);
    all.addAll(idLike);
    return all;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
