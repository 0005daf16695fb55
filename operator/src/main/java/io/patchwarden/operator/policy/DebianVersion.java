package io.patchwarden.operator.policy;

import java.util.Comparator;

/**
 * Orders Debian package version strings exactly as {@code dpkg --compare-versions} does.
 *
 * <p>Why: a node's kernel on Debian or Ubuntu is a Debian package ({@code linux-image-*}), and
 * whether it is older than the version a policy asks for has to be decided the way dpkg and apt
 * decide it. Plain string or semantic-version ordering gets real versions wrong: {@code 1.0~rc1} is
 * older than {@code 1.0}, {@code 5.15.0-91} is older than {@code 5.15.0-101}, and an epoch ({@code
 * 1:}) outranks everything after it.
 *
 * <p>A version is {@code [epoch:]upstream[-revision]}, split as dpkg's {@code parseversion} splits
 * it: the epoch is what stands before the <em>first</em> colon (so the upstream part may contain
 * colons only when there is an epoch), the revision is what follows the <em>last</em> hyphen, and a
 * missing epoch or revision counts as {@code 0} or empty. Epochs compare as numbers; upstream and
 * revision compare with dpkg's {@code verrevcmp}: alternating runs of non-digits (compared
 * character by character, where {@code ~} sorts before everything including the end of the run,
 * then the end of the run and digits, then ASCII letters, then every other character) and runs of
 * digits (compared as numbers of any length).
 *
 * <p>This class is lenient where dpkg is strict: it never throws. Input that dpkg would reject
 * still gets a fixed place in the order, chosen so that the order stays total:
 *
 * <ul>
 *   <li>{@code null} counts as the empty string. An empty or blank string is "no version", which
 *       {@code dpkg --compare-versions} sorts before every version (even before {@code ~}); all
 *       such strings are equal to each other.
 *   <li>Leading and trailing spaces and tabs are ignored, as dpkg ignores them.
 *   <li>Text before the first colon that is not a number (dpkg: "epoch in version is not number")
 *       is not an epoch: the whole string is then upstream and revision, with epoch 0. The epoch
 *       may carry a sign as C's {@code strtol} allows it; {@code +1:} is epoch 1, a negative epoch
 *       is not an epoch. Epochs larger than dpkg allows compare by their value.
 *   <li>An empty upstream, revision or epoch part ({@code 1.0-}, {@code 1:}) compares as empty;
 *       characters dpkg warns about compare like any other non-letter.
 * </ul>
 *
 * <p>Only ASCII {@code 0-9} are digits and only ASCII {@code A-Za-z} are letters, as in dpkg's C
 * locale; any other character (including non-ASCII ones, which dpkg rejects with a warning) sorts
 * after the letters by its UTF-16 code.
 */
public final class DebianVersion {
  /**
   * {@link #compare} as a {@link Comparator}; consistent with {@code String.equals} only up to
   * dpkg's equalities ({@code 1.0} equals {@code 1.00}, {@code 0:1.0} and {@code 1.0-0}).
   */
  public static final Comparator<String> ORDER = DebianVersion::compare;

  private DebianVersion() {}

  /**
   * Compares two Debian versions the way {@code dpkg --compare-versions} does.
   *
   * @return -1, 0 or 1 when {@code a} is older than, equal to or newer than {@code b}
   */
  public static int compare(String a, String b) {
    Parts x = Parts.of(a);
    Parts y = Parts.of(b);
    if (x == null || y == null) {
      // dpkg --compare-versions treats an empty version as older than any real one.
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    int c = compareEpochs(x, y);
    if (c == 0) {
      c = verrevcmp(x.text, x.upstreamStart, x.upstreamEnd, y.text, y.upstreamStart, y.upstreamEnd);
    }
    if (c == 0) {
      c =
          verrevcmp(
              x.text, x.revisionStart, x.text.length(), y.text, y.revisionStart, y.text.length());
    }
    return Integer.signum(c);
  }

  /**
   * Where the parts of one trimmed version string are. Positions instead of substrings, because
   * comparing is all this class does with them.
   */
  private record Parts(
      String text,
      int epochStart,
      int epochEnd,
      int upstreamStart,
      int upstreamEnd,
      int revisionStart) {

    /** Splits as dpkg's parseversion does; {@code null} for "no version". */
    static Parts of(String raw) {
      String s = trimBlanks(raw == null ? "" : raw);
      if (s.isEmpty()) {
        return null;
      }
      int epochStart = 0;
      int epochEnd = 0;
      int rest = 0;
      int colon = s.indexOf(':');
      if (colon >= 0) {
        // strtol lets a sign precede the digits; dpkg rejects a negative epoch, so "-0" is the
        // only negative-signed epoch it accepts; any other one stays part of the version.
        int digits = 0;
        if (colon > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
          digits = 1;
        }
        if (digits < colon && allDigits(s, digits, colon)) {
          int firstNonZero = skipZeros(s, digits, colon);
          if (s.charAt(0) != '-' || firstNonZero == colon) {
            epochStart = firstNonZero;
            epochEnd = colon;
            rest = colon + 1;
          }
        }
      }
      int hyphen = s.lastIndexOf('-');
      int upstreamEnd = hyphen >= rest ? hyphen : s.length();
      int revisionStart = hyphen >= rest ? hyphen + 1 : s.length();
      return new Parts(s, epochStart, epochEnd, rest, upstreamEnd, revisionStart);
    }
  }

  private static int compareEpochs(Parts x, Parts y) {
    // Leading zeros are already skipped, so the longer digit run is the larger number.
    int lengthX = x.epochEnd - x.epochStart;
    int lengthY = y.epochEnd - y.epochStart;
    if (lengthX != lengthY) {
      return Integer.compare(lengthX, lengthY);
    }
    for (int i = 0; i < lengthX; i++) {
      int c = Character.compare(x.text.charAt(x.epochStart + i), y.text.charAt(y.epochStart + i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * dpkg's verrevcmp over {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}: a non-digit run, then a
   * digit run, repeated until both are used up.
   */
  private static int verrevcmp(String a, int i, int aTo, String b, int j, int bTo) {
    while (i < aTo || j < bTo) {
      // Non-digit runs, character by character. A digit or the end of the string both weigh 0
      // here, so the shorter run is the smaller one unless the longer one goes on with '~'.
      while ((i < aTo && !isDigit(a.charAt(i))) || (j < bTo && !isDigit(b.charAt(j)))) {
        int wa = weight(a, i, aTo);
        int wb = weight(b, j, bTo);
        if (wa != wb) {
          return Integer.compare(wa, wb);
        }
        // Equal weights here are never 0 (one side is a non-digit, and only digits and the end
        // weigh 0), so both sides hold the same character and both may advance.
        i++;
        j++;
      }
      // Digit runs, as numbers of any length: without leading zeros, the longer run is larger,
      // and runs of equal length compare digit by digit. A missing run is 0.
      i = skipZeros(a, i, aTo);
      j = skipZeros(b, j, bTo);
      int digitsA = digitRunEnd(a, i, aTo) - i;
      int digitsB = digitRunEnd(b, j, bTo) - j;
      if (digitsA != digitsB) {
        return Integer.compare(digitsA, digitsB);
      }
      for (int k = 0; k < digitsA; k++) {
        int c = Character.compare(a.charAt(i + k), b.charAt(j + k));
        if (c != 0) {
          return c;
        }
      }
      i += digitsA;
      j += digitsB;
    }
    return 0;
  }

  /** dpkg's order(): '~' lowest, then end and digits, then letters, then everything else. */
  private static int weight(String s, int i, int to) {
    if (i >= to) {
      return 0;
    }
    char c = s.charAt(i);
    if (isDigit(c)) {
      return 0;
    }
    if (c == '~') {
      return -1;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      return c;
    }
    return c + 256;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean allDigits(String s, int from, int to) {
    return digitRunEnd(s, from, to) == to;
  }

  private static int digitRunEnd(String s, int from, int to) {
    int i = from;
    while (i < to && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipZeros(String s, int from, int to) {
    int i = from;
    while (i < to && s.charAt(i) == '0') {
      i++;
    }
    return i;
  }

  /** Strips spaces and tabs (C's isblank), the only whitespace dpkg trims. */
  private static String trimBlanks(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isBlank(s.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
