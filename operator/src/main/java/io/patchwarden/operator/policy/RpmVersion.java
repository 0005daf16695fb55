package io.patchwarden.operator.policy;

import java.util.Comparator;

/**
 * Orders RPM {@code [epoch:]version[-release]} strings the way rpm does.
 *
 * <p>Why: a node's kernel on RHEL, Fedora, SUSE and their relatives is an RPM package, and whether
 * it is older than the version a policy asks for has to be decided the way rpm and dnf/zypper
 * decide it: {@code 5.14.0-362.8.1.el9_3} is older than {@code 5.14.0-362.13.1.el9_3}, {@code
 * 1.0~rc1} is older than {@code 1.0}, and {@code 1.0^git1} (a snapshot after 1.0) is newer than
 * {@code 1.0}.
 *
 * <p>The string is split as rpm's {@code parseEVR} splits it: leading digits followed by a colon
 * are the epoch (an empty one is 0), the release is what follows the <em>last</em> hyphen. The
 * comparison is rpm's {@code rpmverCmp} (rpm 4.16 and later): epoch (missing = 0), then version,
 * then release, each with {@code rpmvercmp}; a missing release sorts before any release, so {@code
 * 1.0 < 1.0-1}. (rpm's dependency matching instead ignores the release when one side lacks it, but
 * that is "matches", not an order: it would make {@code 1.0-1 = 1.0 = 1.0-2} while {@code 1.0-1 <
 * 1.0-2}, which no {@link Comparator} may do.)
 *
 * <p>{@code rpmvercmp} (rpm 4.15 and later, which added the caret) walks both strings in segments:
 * runs of ASCII digits or of ASCII letters; every other character only separates segments and is
 * otherwise ignored (so {@code 1.0}, {@code 1_0} and {@code 1..0} are equal). Before the next
 * segment, {@code ~} sorts before everything, even the end of the string; the end of the string
 * comes next, then {@code ^}, then any segment. A numeric segment is newer than an alphabetic one;
 * numeric segments compare as numbers of any length (leading zeros ignored), alphabetic ones by
 * ASCII code (so {@code Z < a}).
 *
 * <p>This class never throws. {@code null} and the empty string (which rpm does not accept as a
 * version) are "no version", equal to each other and older than every version.
 */
public final class RpmVersion {
  /** {@link #compare} as a {@link Comparator}. */
  public static final Comparator<String> ORDER = RpmVersion::compare;

  private RpmVersion() {}

  /**
   * Compares two RPM EVR strings the way rpm does.
   *
   * @return -1, 0 or 1 when {@code a} is older than, equal to or newer than {@code b}
   */
  public static int compare(String a, String b) {
    Evr x = Evr.of(a);
    Evr y = Evr.of(b);
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    int c = rpmvercmp(x.epoch, y.epoch);
    if (c == 0) {
      c = rpmvercmp(x.version, y.version);
    }
    if (c == 0) {
      if (x.release == null || y.release == null) {
        c = x.release == null ? (y.release == null ? 0 : -1) : 1;
      } else {
        c = rpmvercmp(x.release, y.release);
      }
    }
    return c;
  }

  /** The three parts; {@code release} is null when the string has no hyphen. */
  private record Evr(String epoch, String version, String release) {
    /** Splits as rpm's parseEVR does; {@code null} for "no version". */
    static Evr of(String s) {
      if (s == null || s.isEmpty()) {
        return null;
      }
      int digitsEnd = 0;
      while (digitsEnd < s.length() && isDigit(s.charAt(digitsEnd))) {
        digitsEnd++;
      }
      String epoch = "0";
      int versionStart = 0;
      if (digitsEnd < s.length() && s.charAt(digitsEnd) == ':') {
        if (digitsEnd > 0) {
          epoch = s.substring(0, digitsEnd);
        }
        versionStart = digitsEnd + 1;
      }
      // The epoch holds only digits and the colon, so the last hyphen is never inside it.
      int hyphen = s.lastIndexOf('-');
      if (hyphen < 0) {
        return new Evr(epoch, s.substring(versionStart), null);
      }
      return new Evr(epoch, s.substring(versionStart, hyphen), s.substring(hyphen + 1));
    }
  }

  /** rpm's rpmvercmp on two version or release strings: -1, 0 or 1. */
  static int rpmvercmp(String a, String b) {
    int i = 0;
    int j = 0;
    int la = a.length();
    int lb = b.length();
    while (i < la || j < lb) {
      i = skipSeparators(a, i);
      j = skipSeparators(b, j);
      boolean aEnds = i >= la;
      boolean bEnds = j >= lb;

      // '~' comes before anything, the end of the string included: 1.0~rc1 < 1.0.
      boolean aTilde = !aEnds && a.charAt(i) == '~';
      boolean bTilde = !bEnds && b.charAt(j) == '~';
      if (aTilde || bTilde) {
        if (!aTilde) {
          return 1;
        }
        if (!bTilde) {
          return -1;
        }
        i++;
        j++;
        continue;
      }

      // '^' comes after the end of the string but before any segment: 1.0 < 1.0^git1 < 1.0.1.
      boolean aCaret = !aEnds && a.charAt(i) == '^';
      boolean bCaret = !bEnds && b.charAt(j) == '^';
      if (aCaret || bCaret) {
        if (aEnds) {
          return -1;
        }
        if (bEnds) {
          return 1;
        }
        if (!aCaret) {
          return 1;
        }
        if (!bCaret) {
          return -1;
        }
        i++;
        j++;
        continue;
      }

      if (aEnds || bEnds) {
        break;
      }

      // One segment from each: a's first character decides whether both are read as digits or
      // as letters. If b has no segment of that kind here, the numeric one is newer.
      boolean numeric = isDigit(a.charAt(i));
      int aEnd = segmentEnd(a, i, numeric);
      int bEnd = segmentEnd(b, j, numeric);
      if (bEnd == j) {
        return numeric ? 1 : -1;
      }
      if (numeric) {
        // Numbers of any length: drop leading zeros, then the longer one is larger.
        i = skipZeros(a, i, aEnd);
        j = skipZeros(b, j, bEnd);
        if (aEnd - i != bEnd - j) {
          return aEnd - i > bEnd - j ? 1 : -1;
        }
      }
      int c = compareRange(a, i, aEnd, b, j, bEnd);
      if (c != 0) {
        return c;
      }
      i = aEnd;
      j = bEnd;
    }
    // Every segment matched (separators may have differed); whichever string has a segment left
    // is newer.
    boolean aEnds = i >= la;
    boolean bEnds = j >= lb;
    if (aEnds && bEnds) {
      return 0;
    }
    return aEnds ? -1 : 1;
  }

  private static int compareRange(String a, int i, int aEnd, String b, int j, int bEnd) {
    while (i < aEnd && j < bEnd) {
      char ca = a.charAt(i++);
      char cb = b.charAt(j++);
      if (ca != cb) {
        return ca < cb ? -1 : 1;
      }
    }
    if (i < aEnd) {
      return 1;
    }
    return j < bEnd ? -1 : 0;
  }

  private static int skipSeparators(String s, int i) {
    while (i < s.length() && isSeparator(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int segmentEnd(String s, int i, boolean numeric) {
    while (i < s.length() && (numeric ? isDigit(s.charAt(i)) : isLetter(s.charAt(i)))) {
      i++;
    }
    return i;
  }

  private static int skipZeros(String s, int i, int end) {
    while (i < end && s.charAt(i) == '0') {
      i++;
    }
    return i;
  }

  /** Anything but an ASCII letter or digit, '~' and '^' (rpm's risalnum is ASCII-only). */
  private static boolean isSeparator(char c) {
    return !isDigit(c) && !isLetter(c) && c != '~' && c != '^';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
