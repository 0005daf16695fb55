package io.patchwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What {@link DebianVersionTest} and {@link RpmVersionTest} check in the same way. */
final class VersionOrders {
  private VersionOrders() {}

  /** A known pair written "A op B", with op one of {@code < = >}. */
  record Pair(String a, int sign, String b) {
    static Pair parse(String line) {
      String[] p = line.split(" ");
      assertThat(p).as("'%s' is 'A op B'", line).hasSize(3);
      return new Pair(p[0], VersionOrders.sign(p[1]), p[2]);
    }

    @Override
    public String toString() {
      return a + " " + symbol(sign) + " " + b;
    }
  }

  static int sign(String op) {
    return switch (op) {
      case "<" -> -1;
      case "=" -> 0;
      case ">" -> 1;
      default -> throw new IllegalArgumentException("not an operator: " + op);
    };
  }

  static String symbol(int sign) {
    return sign < 0 ? "<" : sign == 0 ? "=" : ">";
  }

  /**
   * The three rules of {@link Comparator} over every ordered triple of {@code versions}: the sign
   * flips with the arguments, less-or-equal is transitive, and equal versions compare alike to
   * everything.
   */
  static void assertComparatorContract(Comparator<String> order, List<String> versions) {
    for (String x : versions) {
      for (String y : versions) {
        int xy = order.compare(x, y);
        assertThat(xy).as("%s vs %s", x, y).isBetween(-1, 1);
        assertThat(order.compare(y, x)).as("%s vs %s", y, x).isEqualTo(-xy);
        for (String z : versions) {
          int yz = order.compare(y, z);
          int xz = order.compare(x, z);
          if (xy <= 0 && yz <= 0) {
            assertThat(xz).as("%s <= %s <= %s", x, y, z).isNotPositive();
          }
          if (xy == 0) {
            assertThat(xz).as("%s = %s, against %s", x, y, z).isEqualTo(yz);
          }
        }
      }
    }
  }

  /** Sorts with {@code order} and checks every pair of the result, not only neighbours. */
  static void assertSortsConsistently(Comparator<String> order, List<String> versions) {
    List<String> sorted = new ArrayList<>(versions);
    sorted.sort(order);
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = i + 1; j < sorted.size(); j++) {
        assertThat(order.compare(sorted.get(i), sorted.get(j)))
            .as("%s sorted before %s", sorted.get(i), sorted.get(j))
            .isNotPositive();
      }
    }
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
        return true;
      }
    }
    return false;
  }
}
