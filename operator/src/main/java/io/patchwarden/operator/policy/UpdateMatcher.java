package io.patchwarden.operator.policy;

import io.patchwarden.api.policy.PatchMatcher;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code approve} or {@code reject} entry: matches updates by exact id, by package-name glob
 * (optionally with an exact version) or by a CVE the update fixes. Works the same for every package
 * source, Debian's included (package=version ids, no vendor advisories). Pure.
 *
 * @param field where the entry is in the spec, e.g. {@code spec.approval.reject[2]}, for reasons
 */
public record UpdateMatcher(String field, Kind kind, String value, String version, Glob glob) {

  public enum Kind {
    Id,
    Package,
    Cve
  }

  public static UpdateMatcher from(String field, PatchMatcher entry) {
    if (entry.getId() != null) {
      return new UpdateMatcher(field, Kind.Id, entry.getId(), null, null);
    }
    if (entry.getCve() != null) {
      return new UpdateMatcher(
          field, Kind.Cve, entry.getCve().toUpperCase(Locale.ROOT), null, null);
    }
    if (entry.getPackageName() != null) {
      return new UpdateMatcher(
          field,
          Kind.Package,
          entry.getPackageName(),
          entry.getVersion(),
          Glob.of(entry.getPackageName()));
    }
    throw new IllegalArgumentException(field + " sets none of id, package or cve");
  }

  public boolean matches(Update update) {
    return switch (kind) {
      case Id -> value.equals(update.id());
      case Package ->
          update.packageName() != null
              && glob.matches(update.packageName())
              && (version == null || version.equals(update.version()));
      case Cve -> fixes(update, value);
    };
  }

  private static boolean fixes(Update update, String cve) {
    for (String c : update.cves()) {
      if (c.equalsIgnoreCase(cve)) {
        return true;
      }
    }
    return false;
  }

  /** "spec.approval.reject[0] (package linux-image-*)". */
  public String describe() {
    String what =
        switch (kind) {
          case Id -> "id " + value;
          case Cve -> "cve " + value;
          case Package -> "package " + value + (version == null ? "" : " version " + version);
        };
    return field + " (" + what + ")";
  }

  /**
   * A shell-style glob over package names: {@code *} any run, {@code ?} one character, everything
   * else literal. The common shapes (exact, prefix*) avoid regular expressions: approval is
   * evaluated for every pending update of every target.
   */
  public record Glob(String exact, String prefix, Pattern pattern) {
    static Glob of(String glob) {
      int star = glob.indexOf('*');
      boolean question = glob.indexOf('?') >= 0;
      if (star < 0 && !question) {
        return new Glob(glob, null, null);
      }
      if (!question && star == glob.length() - 1) {
        return new Glob(null, glob.substring(0, star), null);
      }
      StringBuilder regex = new StringBuilder();
      for (String literal : glob.split("(?=[*?])|(?<=[*?])")) {
        switch (literal) {
          case "*" -> regex.append(".*");
          case "?" -> regex.append('.');
          default -> regex.append(Pattern.quote(literal));
        }
      }
      return new Glob(null, null, Pattern.compile(regex.toString()));
    }

    boolean matches(String name) {
      if (exact != null) {
        return exact.equals(name);
      }
      if (prefix != null) {
        return name.startsWith(prefix);
      }
      return pattern.matcher(name).matches();
    }
  }
}
