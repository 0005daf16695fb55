package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.patchwarden.operator.policy.VersionOrders.Pair;
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

class RpmVersionTest {
  /**
   * Pairs of plain version strings from rpm's tests/rpmvercmp.at, including the cases it keeps to
   * document odd but intended behaviour. None has a hyphen or a colon, so the whole string is the
   * version and {@link RpmVersion#compare} is rpmvercmp itself.
   */
  private static final List<String> RPMVERCMP =
      List.of(
          "1.0 = 1.0",
          "1.0 < 2.0",
          "2.0.1 = 2.0.1",
          "2.0 < 2.0.1",
          "2.0.1a = 2.0.1a",
          "2.0.1a > 2.0.1",
          "5.5p1 = 5.5p1",
          "5.5p1 < 5.5p2",
          "5.5p10 = 5.5p10",
          "5.5p1 < 5.5p10",
          "10xyz < 10.1xyz",
          "xyz10 = xyz10",
          "xyz10 < xyz10.1",
          "xyz.4 = xyz.4",
          "xyz.4 < 8",
          "xyz.4 < 2",
          "5.5p2 < 5.6p1",
          "5.6p1 < 6.5p1",
          "6.0.rc1 > 6.0",
          "10b2 > 10a1",
          "10a2 < 10b2",
          "1.0aa = 1.0aa",
          "1.0a < 1.0aa",
          "10.0001 = 10.0001",
          "10.0001 = 10.1",
          "10.0001 < 10.0039",
          "4.999.9 < 5.0",
          "20101121 = 20101121",
          "20101121 < 20101122",
          "2_0 = 2_0",
          "2.0 = 2_0",
          "a = a",
          "a+ = a+",
          "a+ = a_",
          "+a = +a",
          "+a = _a",
          "+_ = +_",
          "_+ = +_",
          "+ = _",
          "1.0~rc1 = 1.0~rc1",
          "1.0~rc1 < 1.0",
          "1.0~rc1 < 1.0~rc2",
          "1.0~rc1~git123 = 1.0~rc1~git123",
          "1.0~rc1~git123 < 1.0~rc1",
          "1.0^ = 1.0^",
          "1.0^ > 1.0",
          "1.0^git1 = 1.0^git1",
          "1.0^git1 > 1.0",
          "1.0^git1 < 1.0^git2",
          "1.0^git1 < 1.01",
          "1.0^20160101 = 1.0^20160101",
          "1.0^20160101 < 1.0.1",
          "1.0^20160101^git1 = 1.0^20160101^git1",
          "1.0^20160102 > 1.0^20160101^git1",
          "1.0~rc1^git1 = 1.0~rc1^git1",
          "1.0~rc1^git1 > 1.0~rc1",
          "1.0^git1~pre = 1.0^git1~pre",
          "1.0^git1 > 1.0^git1~pre",
          "1b.fc17 < 1.fc17",
          "1g.fc17 > 1.fc17",
          "1.1.α = 1.1.β",
          "1.1.αα = 1.1.α",
          "1.1.ββ = 1.1.αα");

  /** Whole EVR strings: epochs, releases, real kernels, and numbers longer than a long. */
  private static final List<String> EVR =
      List.of(
          "1.0 < 1.0a",
          "2.0.1 > 2.0",
          "1.0.010 = 1.0.10",
          "1:1.0 > 2.0",
          "2:1.0 > 1:9.9-9",
          "0:1.0 = 1.0",
          ":1.0 = 1.0",
          "1.0 < 1.0-1",
          "1.0-1 < 1.0-2",
          "1.0-9 < 1.0.1-1",
          "1.0-1-1 = 1.0.1-1",
          "a:b:c-d-e = 0:a:b:c-d-e",
          "1.0-1.el9 < 1.0-1.el9_3",
          "5.14.0-362.8.1.el9_3 < 5.14.0-362.13.1.el9_3",
          "5.14.0-362.8.1.el9_3.x86_64 < 5.14.0-362.13.1.el9_3.x86_64",
          "5.14.0-284.30.1.el9_2 < 5.14.0-362.8.1.el9_3",
          "4.18.0-477.27.1.el8_8 < 4.18.0-513.5.1.el8_9",
          "5.14.21-150500.55.39.1 < 5.14.21-150500.55.44.1",
          "6.5.6-300.fc39 < 6.6.2-201.fc39",
          "6.6.2-201.fc39 < 1:6.0-1.fc39",
          "1.18446744073709551616 > 1.18446744073709551615",
          "18446744073709551616:1 > 9:1",
          "1.0000000000000000000000000001 = 1.1");

  static Stream<String> known() {
    return Stream.concat(RPMVERCMP.stream(), EVR.stream());
  }

  @ParameterizedTest
  @MethodSource("known")
  void ordersLikeRpm(String line) {
    Pair pair = Pair.parse(line);

    assertThat(RpmVersion.compare(pair.a(), pair.b())).as(line).isEqualTo(pair.sign());
    assertThat(RpmVersion.compare(pair.b(), pair.a()))
        .as("reversed: " + line)
        .isEqualTo(-pair.sign());
  }

  static Stream<String> plain() {
    return RPMVERCMP.stream();
  }

  @ParameterizedTest
  @MethodSource("plain")
  void rpmvercmpOrdersPlainVersionsLikeRpm(String line) {
    Pair pair = Pair.parse(line);

    assertThat(RpmVersion.rpmvercmp(pair.a(), pair.b())).as(line).isEqualTo(pair.sign());
  }

  @Test
  void sortsRhelKernelsOldestFirst() {
    List<String> expected =
        List.of(
            "5.14.0-70.13.1.el9_0",
            "5.14.0-284.30.1.el9_2",
            "5.14.0-362.8.1.el9_3",
            "5.14.0-362.13.1.el9_3",
            "5.14.0-362.13.1.el9_3^1",
            "5.14.0-427.13.1.el9_4",
            "1:4.18.0-80.el8");
    List<String> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));

    shuffled.sort(RpmVersion.ORDER);

    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  /**
   * A release matters even when the other side has none: rpm's own comparison (rpmverCmp) puts the
   * bare version first. Ignoring the release here, as rpm's dependency matching does, would make
   * the order intransitive, which this pins down.
   */
  @Test
  void aMissingReleaseSortsBeforeAnyRelease() {
    VersionOrders.assertComparatorContract(
        RpmVersion.ORDER, List.of("1.0-1", "1.0", "1.0-2", "1.0-", "1.0-~"));
    assertThat(RpmVersion.compare("1.0", "1.0-~")).isNegative();
    assertThat(RpmVersion.compare("1.0", "1.0-")).isNegative();
    assertThat(RpmVersion.compare("1.0-", "1.0-0")).isNegative();
  }

  /**
   * Input rpm would not take as a version still has a place in the order; see the class comment.
   */
  @Test
  void oddInputIsOrderedInsteadOfRejected() {
    assertThat(RpmVersion.compare(null, "")).isZero();
    assertThat(RpmVersion.compare(null, "~")).isNegative();
    assertThat(RpmVersion.compare("", "0")).isNegative();
    assertThat(RpmVersion.compare("0", null)).isPositive();
    // Everything that is not an ASCII letter or digit, '~' or '^' only separates, as in rpm.
    assertThat(RpmVersion.compare(" 1.0 ", "1.0")).isZero();
    assertThat(RpmVersion.compare("1.0\u0000", "1.0")).isZero();
    assertThat(RpmVersion.compare("1.١", "1")).isZero();
  }

  @Property(tries = 500)
  void neverThrowsAndStaysAntisymmetricOnAnyText(@ForAll String a, @ForAll String b) {
    assertThatCode(() -> RpmVersion.compare(a, b)).doesNotThrowAnyException();
    assertThat(RpmVersion.compare(a, b)).isEqualTo(-RpmVersion.compare(b, a));
  }

  @Property
  void isReflexive(@ForAll("versions") String a) {
    assertThat(RpmVersion.compare(a, a)).isZero();
    assertThat(RpmVersion.compare(a, new String(a))).isZero();
  }

  @Property
  void isAntisymmetric(@ForAll("versions") String a, @ForAll("versions") String b) {
    int ab = RpmVersion.compare(a, b);
    assertThat(ab).isBetween(-1, 1);
    assertThat(RpmVersion.compare(b, a)).isEqualTo(-ab);
  }

  @Property
  void isTransitive(
      @ForAll("versions") String a, @ForAll("versions") String b, @ForAll("versions") String c) {
    VersionOrders.assertComparatorContract(RpmVersion.ORDER, List.of(a, b, c));
  }

  @Property(tries = 300)
  void sortingLeavesEveryPairInOrder(@ForAll @Size(max = 12) List<@From("versions") String> list) {
    VersionOrders.assertSortsConsistently(RpmVersion.ORDER, list);
  }

  @Property
  void aTrailingTildeMakesOlderAndATrailingCaretNewer(@ForAll("versions") String a) {
    Assume.that(!a.isEmpty());
    assertThat(RpmVersion.compare(a + "~", a)).isNegative();
    assertThat(RpmVersion.compare(a + "^", a)).isPositive();
  }

  @Property
  void separatorsAreInterchangeable(@ForAll("versions") String a) {
    assertThat(RpmVersion.compare(a, a.replace('.', '_').replace('+', '.'))).isZero();
  }

  /** Version-like strings from the characters RPM versions use, often equal or nearly so. */
  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3),
            Arbitraries.of("a", "b", "z", "A", "rc", "el", "fc", "git"),
            Arbitraries.of(".", "_", "+", "~", "^", "-", ":", "~~"));
    Arbitrary<String> tokens = token.list().ofMaxSize(7).map(parts -> String.join("", parts));
    Arbitrary<String> chars =
        Arbitraries.strings().withChars("0123456789abzAZ._+~^-:").ofMaxLength(10);
    return Arbitraries.oneOf(tokens, chars);
  }

  /**
   * Compares {@link RpmVersion#compare} with rpm's version objects ({@code rpm.ver}, which use
   * rpmverCmp), and {@link RpmVersion#rpmvercmp} with {@code rpm.vercmp} where neither string has
   * an epoch or release, on the known pairs and on random strings from a fixed seed. One rpm
   * process reads all pairs through its embedded Lua. Skipped where rpm is not installed (Debian:
   * {@code apt-get install rpm}).
   */
  @Test
  void agreesWithRpm(@TempDir Path dir) throws Exception {
    assumeTrue(VersionOrders.onPath("rpm"), "rpm is not on the PATH");
    List<String[]> pairs = new ArrayList<>();
    known().map(Pair::parse).forEach(p -> pairs.add(new String[] {p.a(), p.b()}));
    Random random = new Random(20240611L);
    for (int i = 0; i < 2500; i++) {
      String a = randomVersion(random);
      pairs.add(new String[] {a, random.nextBoolean() ? edit(a, random) : randomVersion(random)});
    }

    List<int[]> rpm = runRpm(dir, pairs);

    List<String> disagreements = new ArrayList<>();
    int[] outcomes = new int[3];
    int plain = 0;
    for (int i = 0; i < pairs.size(); i++) {
      String a = pairs.get(i)[0];
      String b = pairs.get(i)[1];
      int evr = rpm.get(i)[0];
      int vercmp = rpm.get(i)[1];
      outcomes[evr + 1]++;
      if (RpmVersion.compare(a, b) != evr) {
        disagreements.add("rpm.ver: " + a + " " + VersionOrders.symbol(evr) + " " + b);
      }
      // rpm.vercmp splits epoch and release itself in rpm 4.16 and later, and not before; on
      // strings without either, every rpm's answer is plain rpmvercmp.
      if (isPlain(a) && isPlain(b)) {
        plain++;
        if (RpmVersion.rpmvercmp(a, b) != vercmp) {
          disagreements.add("rpm.vercmp: " + a + " " + VersionOrders.symbol(vercmp) + " " + b);
        }
      }
    }
    System.out.printf(
        "RpmVersion: compared %d pairs with rpm (%d <, %d =, %d >), %d of them plain versions%n",
        pairs.size(), outcomes[0], outcomes[1], outcomes[2], plain);
    assertThat(disagreements).isEmpty();
    assertThat(outcomes[0]).as("older").isGreaterThan(200);
    assertThat(outcomes[1]).as("equal").isGreaterThan(200);
    assertThat(outcomes[2]).as("newer").isGreaterThan(200);
  }

  private static boolean isPlain(String version) {
    return version.indexOf(':') < 0 && version.indexOf('-') < 0;
  }

  /** rpm's answers for each pair: {comparison of rpm.ver objects, rpm.vercmp}, each -1, 0 or 1. */
  private static List<int[]> runRpm(Path dir, List<String[]> pairs) throws Exception {
    StringBuilder input = new StringBuilder();
    for (String[] p : pairs) {
      input.append(p[0]).append('\t').append(p[1]).append('\n');
    }
    Path pairsFile = dir.resolve("pairs.tsv");
    Files.writeString(pairsFile, input, StandardCharsets.UTF_8);
    // The script goes in its own file: rpm expands macros in what --eval gets, not in the file.
    String script =
        """
        for line in io.lines("%s") do
          local a, b = line:match("^(.-)\\t(.*)$")
          local va, vb = rpm.ver(a), rpm.ver(b)
          local evr = 1
          if va < vb then evr = -1 elseif va == vb then evr = 0 end
          io.write(evr, " ", rpm.vercmp(a, b), "\\n")
        end
        """
            .formatted(pairsFile);
    Path scriptFile = dir.resolve("compare.lua");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process process =
        new ProcessBuilder("rpm", "--eval", "%{lua: dofile(\"" + scriptFile + "\")}")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("rpm finished in time").isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(err)).as("rpm's complaints").isEmpty();
    List<int[]> answers = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      if (!line.isBlank()) {
        String[] fields = line.split(" ");
        answers.add(new int[] {Integer.parseInt(fields[0]), Integer.parseInt(fields[1])});
      }
    }
    assertThat(answers).hasSameSizeAs(pairs);
    return answers;
  }

  private static final String[] LETTERS = {"a", "b", "z", "A", "Z", "rc", "git", "el", "fc"};
  private static final String SEPARATORS = "._+~^-:";

  /** A non-empty version-like string; rpm takes any of them, odd ones included. */
  static String randomVersion(Random random) {
    StringBuilder s = new StringBuilder();
    if (random.nextInt(5) == 0) {
      s.append(random.nextInt(4) == 0 ? "" : Integer.toString(random.nextInt(3))).append(':');
    }
    int tokens = 1 + random.nextInt(7);
    for (int i = 0; i < tokens; i++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> s.append(digits(random));
        case 2 -> s.append(LETTERS[random.nextInt(LETTERS.length)]);
        default -> s.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
      }
    }
    return s.toString();
  }

  private static String digits(Random random) {
    String n = Integer.toString(random.nextInt(random.nextBoolean() ? 10 : 200));
    return random.nextInt(8) == 0 ? "0" + n : n;
  }

  /** A small change to {@code version}, often one that rpm considers equal. */
  static String edit(String version, Random random) {
    StringBuilder s = new StringBuilder(version);
    int at = random.nextInt(s.length() + 1);
    switch (random.nextInt(8)) {
      case 0 -> {
        return version;
      }
      case 1 -> {
        if (at < s.length()) {
          s.setCharAt(at, "0123456789abzAZ._+~^-:".charAt(random.nextInt(22)));
        }
      }
      case 2 -> s.insert(at, "0123456789az._~^".charAt(random.nextInt(16)));
      case 3 -> {
        if (at < s.length() && s.length() > 1) {
          s.deleteCharAt(at);
        }
      }
      case 4 -> s.append(random.nextBoolean() ? "~" : random.nextBoolean() ? "^" : ".0");
      case 5 -> {
        // Leading zeros and a different separator: equal to rpm, different as text.
        if (at < s.length() && Character.isDigit(s.charAt(at))) {
          s.insert(at, '0');
        } else if (at < s.length() && s.charAt(at) == '.') {
          s.setCharAt(at, '_');
        }
      }
      case 6 -> s.insert(0, version.indexOf(':') < 0 ? "0:" : "");
      default -> s.append(version.indexOf('-') < 0 ? "-1" : "");
    }
    return s.toString();
  }
}
