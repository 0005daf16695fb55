package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.patchwarden.operator.policy.VersionOrders.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DebianVersionTest {
  /**
   * "A op B" with op one of {@code < = >}. Most come from dpkg's own tests and documentation; the
   * rest are real kernel, glibc and backport versions. Every one is also checked against dpkg in
   * {@link #agreesWithDpkgCompareVersions}, so a wrong expectation here cannot hide.
   */
  private static final List<String> KNOWN =
      List.of(
          // Tilde, epoch and revision basics.
          "1.0~rc1 < 1.0",
          "1.0~rc1 < 1.0~rc2",
          "1.0~~ < 1.0~",
          "1.0~ < 1.0",
          "1~ < 1",
          "1:1.0 > 2.0",
          "2:2.5 > 1:7.5",
          "1 = 0:1",
          "0 = 0:0-0",
          "+1:2.0 = 1:2.0",
          "1.0-1 < 1.0-1ubuntu1",
          "1.0-1 < 2.0-2",
          "2.2~rc-4 < 2.2-1",
          "1.0000-1 = 1.0-1",
          "1.09 = 1.9",
          "1.0 < 1.0.0",
          "1.0 < 1.0a",
          "1.0a < 1.0+",
          "1.0a < 1.0.1",
          "1:2.0:1 > 1:2.0",
          // From dpkg's Dpkg::Version tests.
          "1:0foo > 0foo",
          "0:0foo = 0foo",
          "0foo-0 = 0foo",
          "0foo > 0fo",
          "0foo-0 < 0foo+",
          "0foo~1 < 0foo",
          "0foo~foo+Bar < 0foo~foo+bar",
          "12345+that-really-is-some-ver-0 < 12345+that-really-is-some-ver-10",
          "0foo-0 < 0foo-01",
          "0foo.bar > 0foobar",
          "0foo.bar > 0foo1bar",
          "0foo.bar > 0foo0bar",
          "0foo1bar-1 < 0foobar-1",
          "0foo2.0 > 0foo2",
          "0foo2.0.0 < 0foo2.10.0",
          "0foo2.0 < 0foo2.0.0",
          "0foo2.0 < 0foo2.10",
          "0foo2.1 < 0foo2.10",
          "1.0.8+nmu1 > 1.0.8",
          "3.11 > 3.10+nmu1",
          "0.9j-20080306-4 > 0.9i-20070324-2",
          "1.2.0~b7-1 > 1.2.0~b6-1",
          "1.011-1 > 1.06-2",
          "0.0.9+dfsg1-1 > 0.0.8+dfsg1-3",
          "4.6.99+svn6582-1 > 4.6.99+svn6496-1",
          "53 > 52",
          "0.9.9~pre122-1 > 0.9.9~pre111-1",
          "2:2.3.2-2+lenny2 > 2:2.3.2-2",
          "1:3.8.1-1 > 3.8.GA-1",
          "1.0.1+gpl-1 > 1.0.1-2",
          "1a < 1000a",
          // Kernel release strings (uname -r) and kernel package versions.
          "5.15.0-91-generic < 5.15.0-101-generic",
          "6.1.0-18-amd64 < 6.1.0-21-amd64",
          "6.1.0-18-amd64 < 6.1.0-18-cloud-amd64",
          "5.15.0-91.101 < 5.15.0-101.111",
          "6.5.0-14.14~22.04.1 < 6.5.0-14.14",
          "6.1.76-1 < 6.1.85-1",
          "4.19.304-1 < 6.1.76-1",
          // Debian security updates.
          "2.30-1+deb12u1 > 2.30-1",
          "2.30-1+deb12u1 < 2.30-1+deb12u2",
          "2.36-9+deb12u4 < 2.36-9+deb12u10",
          "2.30-1+deb12u1 < 2.30-2",
          "2.35-0ubuntu3.5 < 2.35-0ubuntu3.10",
          // Digit runs longer than any Java integer type.
          "1.18446744073709551616 > 1.18446744073709551615",
          "1.0000000000000000000000000001 = 1.1",
          "1.99999999999999999999999999999 < 1.100000000000000000000000000000");

  static Stream<String> known() {
    return KNOWN.stream();
  }

  @ParameterizedTest
  @MethodSource("known")
  void ordersLikeDpkg(String line) {
    Pair pair = Pair.parse(line);

    assertThat(DebianVersion.compare(pair.a(), pair.b())).as(line).isEqualTo(pair.sign());
    assertThat(DebianVersion.compare(pair.b(), pair.a()))
        .as("reversed: " + line)
        .isEqualTo(-pair.sign());
  }

  @Test
  void sortsUbuntuKernelPackagesOldestFirst() {
    List<String> expected =
        List.of(
            "5.15.0-9.9",
            "5.15.0-91.101",
            "5.15.0-101.111",
            "5.15.0-1050.58",
            "6.5.0-14.14~22.04.1",
            "6.5.0-14.14",
            "1:5.0");
    List<String> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));

    shuffled.sort(DebianVersion.ORDER);

    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  /**
   * Input dpkg rejects still has a place in the order: these document the places chosen (see the
   * class comment), none of which dpkg can confirm.
   */
  @Test
  void oddInputIsOrderedInsteadOfRejected() {
    // No version at all is older than any version, even one that is only a tilde.
    assertThat(DebianVersion.compare(null, "")).isZero();
    assertThat(DebianVersion.compare(" \t", null)).isZero();
    assertThat(DebianVersion.compare(null, "~")).isNegative();
    assertThat(DebianVersion.compare("", "0")).isNegative();
    assertThat(DebianVersion.compare("0", null)).isPositive();
    // Blanks around a version are trimmed like dpkg trims them.
    assertThat(DebianVersion.compare(" 1.0\t", "1.0")).isZero();
    // An epoch that is not a number is part of the upstream version.
    assertThat(DebianVersion.compare("a:1.0", "0:a:1.0")).isZero();
    assertThat(DebianVersion.compare("-1:2.0", "0:-1:2.0")).isZero();
    // Epochs beyond dpkg's INT_MAX compare by value.
    assertThat(DebianVersion.compare("99999999999999999999:1", "9999999999:9")).isPositive();
    assertThat(DebianVersion.compare("007:1", "7:1")).isZero();
    // Empty parts count as empty.
    assertThat(DebianVersion.compare("1.0-", "1.0")).isZero();
    assertThat(DebianVersion.compare("1:", "1:0")).isZero();
    // Characters dpkg warns about sort after the letters, like its other non-letters.
    assertThat(DebianVersion.compare("1.0_1", "1.0z")).isPositive();
    assertThat(DebianVersion.compare("1.0é", "1.0z")).isPositive();
    assertThat(DebianVersion.compare("١.0", "1.0")).isPositive();
  }

  @Property(tries = 500)
  void neverThrowsAndStaysAntisymmetricOnAnyText(@ForAll String a, @ForAll String b) {
    assertThatCode(() -> DebianVersion.compare(a, b)).doesNotThrowAnyException();
    assertThat(DebianVersion.compare(a, b)).isEqualTo(-DebianVersion.compare(b, a));
  }

  @Property
  void isReflexive(@ForAll("versions") String a) {
    assertThat(DebianVersion.compare(a, a)).isZero();
    assertThat(DebianVersion.compare(a, new String(a))).isZero();
  }

  @Property
  void isAntisymmetric(@ForAll("versions") String a, @ForAll("versions") String b) {
    int ab = DebianVersion.compare(a, b);
    assertThat(ab).isBetween(-1, 1);
    assertThat(DebianVersion.compare(b, a)).isEqualTo(-ab);
  }

  @Property
  void isTransitive(
      @ForAll("versions") String a, @ForAll("versions") String b, @ForAll("versions") String c) {
    VersionOrders.assertComparatorContract(DebianVersion.ORDER, List.of(a, b, c));
  }

  @Property(tries = 300)
  void sortingLeavesEveryPairInOrder(@ForAll @Size(max = 12) List<@From("versions") String> list) {
    VersionOrders.assertSortsConsistently(DebianVersion.ORDER, list);
  }

  @Property
  void aTrailingTildeMakesAnyVersionOlder(@ForAll("versions") String a) {
    Assume.that(!a.isBlank());
    assertThat(DebianVersion.compare(a + "~", a)).isNegative();
  }

  @Property
  void aZeroEpochChangesNothing(@ForAll("versions") String a) {
    Assume.that(!a.isBlank() && a.indexOf(':') < 0);
    assertThat(DebianVersion.compare("0:" + a, a)).isZero();
  }

  /**
   * Version-like strings from the characters Debian versions use. Many are not valid for dpkg (that
   * is the point for the laws above: they must hold for whatever a node reports); short tokens make
   * equal and nearly equal versions common.
   */
  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3),
            Arbitraries.of("a", "b", "z", "A", "rc", "deb", "u", "ubuntu"),
            Arbitraries.of(".", "+", "~", "-", ":", "~~"));
    Arbitrary<String> tokens = token.list().ofMaxSize(7).map(parts -> String.join("", parts));
    Arbitrary<String> chars =
        Arbitraries.strings().withChars("0123456789abzAZ.+~-:").ofMaxLength(10);
    return Arbitraries.oneOf(tokens, chars);
  }

  /**
   * Compares {@link DebianVersion} with dpkg itself on the known pairs and on random valid versions
   * from a fixed seed, half of them paired with a small edit of themselves so that close calls and
   * ties are common. dpkg runs from a few shell scripts, one per core, instead of one process per
   * comparison started from Java.
   */
  @Test
  void agreesWithDpkgCompareVersions(@TempDir Path dir) throws Exception {
    assumeTrue(VersionOrders.onPath("dpkg"), "dpkg is not on the PATH");
    List<String[]> pairs = new ArrayList<>();
    for (String known : KNOWN) {
      Pair pair = Pair.parse(known);
      pairs.add(new String[] {pair.a(), pair.b()});
    }
    Random random = new Random(20240611L);
    for (int i = 0; i < 2500; i++) {
      String a = randomVersion(random);
      pairs.add(new String[] {a, random.nextBoolean() ? edit(a, random) : randomVersion(random)});
    }

    List<String> dpkg = runDpkg(dir, pairs);

    List<String> disagreements = new ArrayList<>();
    int[] outcomes = new int[3];
    for (int i = 0; i < pairs.size(); i++) {
      String[] p = pairs.get(i);
      int expected = VersionOrders.sign(dpkg.get(i));
      outcomes[expected + 1]++;
      int actual = DebianVersion.compare(p[0], p[1]);
      if (actual != expected) {
        disagreements.add(p[0] + " " + dpkg.get(i) + " " + p[1] + " but compare gave " + actual);
      }
    }
    System.out.printf(
        "DebianVersion: compared %d pairs with dpkg --compare-versions (%d <, %d =, %d >)%n",
        pairs.size(), outcomes[0], outcomes[1], outcomes[2]);
    assertThat(disagreements).isEmpty();
    // Without ties and both directions the comparison would prove little.
    assertThat(outcomes[0]).as("older").isGreaterThan(200);
    assertThat(outcomes[1]).as("equal").isGreaterThan(200);
    assertThat(outcomes[2]).as("newer").isGreaterThan(200);
  }

  /** dpkg's answer for each pair, "<", "=" or ">", in the order of {@code pairs}. */
  private static List<String> runDpkg(Path dir, List<String[]> pairs)
      throws IOException, InterruptedException {
    int chunks = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    List<Process> processes = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    List<Path> errors = new ArrayList<>();
    for (int chunk = 0; chunk < chunks; chunk++) {
      StringBuilder script = new StringBuilder();
      script.append("c() {\n");
      script.append("  if dpkg --compare-versions \"$2\" lt \"$3\"; then echo \"$1 <\"\n");
      script.append("  elif dpkg --compare-versions \"$2\" eq \"$3\"; then echo \"$1 =\"\n");
      script.append("  else echo \"$1 >\"; fi\n");
      script.append("}\n");
      for (int i = chunk; i < pairs.size(); i += chunks) {
        // The versions hold no quote, so single quotes keep the shell away from '~' and friends.
        script.append("c ").append(i).append(" '").append(pairs.get(i)[0]).append("' '");
        script.append(pairs.get(i)[1]).append("'\n");
      }
      Path file = dir.resolve("compare-" + chunk + ".sh");
      Files.writeString(file, script, StandardCharsets.UTF_8);
      Path out = dir.resolve("out-" + chunk);
      Path err = dir.resolve("err-" + chunk);
      outputs.add(out);
      errors.add(err);
      processes.add(
          new ProcessBuilder("/bin/sh", file.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start());
    }
    for (Process process : processes) {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("dpkg finished in time").isTrue();
      assertThat(process.exitValue()).isZero();
    }
    String[] answers = new String[pairs.size()];
    for (int chunk = 0; chunk < chunks; chunk++) {
      // A warning or error would mean dpkg judged something other than the version given.
      assertThat(Files.readString(errors.get(chunk))).as("dpkg's complaints").isEmpty();
      for (String line : Files.readAllLines(outputs.get(chunk))) {
        String[] fields = line.split(" ");
        answers[Integer.parseInt(fields[0])] = fields[1];
      }
    }
    assertThat(answers).doesNotContainNull();
    return List.of(answers);
  }

  private static final String[] LETTERS = {"a", "b", "z", "A", "Z", "rc", "git", "dfsg", "ubuntu"};

  /** A version dpkg accepts without a warning: optional epoch, upstream from a digit, revision. */
  static String randomVersion(Random random) {
    StringBuilder s = new StringBuilder();
    boolean epoch = random.nextInt(5) == 0;
    boolean revision = random.nextInt(3) > 0;
    if (epoch) {
      s.append(random.nextInt(4) == 0 ? "0" : "").append(random.nextInt(3)).append(':');
    }
    s.append(digits(random));
    int tokens = random.nextInt(6);
    for (int i = 0; i < tokens; i++) {
      switch (random.nextInt(epoch && revision ? 7 : epoch || revision ? 6 : 5)) {
        case 0, 1 -> s.append(digits(random));
        case 2 -> s.append(LETTERS[random.nextInt(LETTERS.length)]);
        case 3 -> s.append('.');
        case 4 -> s.append(random.nextBoolean() ? '+' : '~');
        default -> s.append(revision && (!epoch || random.nextBoolean()) ? '-' : ':');
      }
    }
    if (revision) {
      s.append('-');
      int revisionTokens = 1 + random.nextInt(4);
      for (int i = 0; i < revisionTokens; i++) {
        switch (random.nextInt(5)) {
          case 0, 1 -> s.append(digits(random));
          case 2 -> s.append(LETTERS[random.nextInt(LETTERS.length)]);
          case 3 -> s.append('.');
          default -> s.append(random.nextBoolean() ? '+' : '~');
        }
      }
    }
    return s.toString();
  }

  private static String digits(Random random) {
    String n = Integer.toString(random.nextInt(random.nextBoolean() ? 10 : 200));
    return random.nextInt(8) == 0 ? "0" + n : n;
  }

  /** A small change to {@code version} that dpkg still accepts, or a fresh version. */
  static String edit(String version, Random random) {
    for (int attempt = 0; attempt < 20; attempt++) {
      StringBuilder s = new StringBuilder(version);
      int at = random.nextInt(s.length() + 1);
      switch (random.nextInt(8)) {
        case 0 -> {
          return version;
        }
        case 1 -> {
          if (at < s.length()) {
            s.setCharAt(at, "0123456789abzAZ.+~-:".charAt(random.nextInt(20)));
          }
        }
        case 2 -> s.insert(at, "0123456789az.+~".charAt(random.nextInt(15)));
        case 3 -> {
          if (at < s.length()) {
            s.deleteCharAt(at);
          }
        }
        case 4 -> s.append(random.nextBoolean() ? "~" : random.nextBoolean() ? ".0" : "+deb12u1");
        case 5 -> {
          // Leading zeros: equal to dpkg, different as text.
          if (at < s.length() && Character.isDigit(s.charAt(at))) {
            s.insert(at, '0');
          }
        }
        case 6 -> s.insert(0, version.indexOf(':') < 0 ? "0:" : "");
        default -> s.append(version.indexOf('-') < 0 ? "-0" : "");
      }
      String edited = s.toString();
      if (isValid(edited)) {
        return edited;
      }
    }
    return randomVersion(random);
  }

  /** Whether dpkg's parseversion accepts {@code v} without an error or a warning. */
  static boolean isValid(String v) {
    if (v.isEmpty() || !v.matches("[0-9A-Za-z.+~:-]+")) {
      return false;
    }
    String rest = v;
    int colon = v.indexOf(':');
    if (colon >= 0) {
      String epoch = v.substring(0, colon);
      if (!epoch.matches("[0-9]{1,9}")) {
        return false;
      }
      rest = v.substring(colon + 1);
    }
    String upstream = rest;
    int hyphen = rest.lastIndexOf('-');
    if (hyphen >= 0) {
      String revision = rest.substring(hyphen + 1);
      if (!revision.matches("[0-9A-Za-z.+~]+")) {
        return false;
      }
      upstream = rest.substring(0, hyphen);
    }
    return !upstream.isEmpty() && Character.isDigit(upstream.charAt(0));
  }
}
