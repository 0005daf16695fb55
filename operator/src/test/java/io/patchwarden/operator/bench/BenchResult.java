package io.patchwarden.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One measured figure of a benchmark scenario, as {@code make bench} records it: a JSON line in the
 * file named by the system property {@code bench.out} (nothing is written without it, so a
 * benchmark run by hand only prints).
 *
 * @param scenario the scenario's id, e.g. {@code policy-pass}
 * @param figure what was measured, e.g. {@code median pass, 50,000 targets x 40 updates}
 * @param value the figure
 * @param unit its unit (ms, s, /s, bytes, ratio)
 * @param target the target in words, e.g. {@code < 500 ms}, or null when there is none
 * @param met whether the target was met, or null when there is none
 * @param detail spread, sizes, flags: what a reader needs to judge the figure
 */
public record BenchResult(
    String scenario,
    String figure,
    double value,
    String unit,
    String target,
    Boolean met,
    String detail) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A figure with a target that is met when {@code value <= limit}. */
  public static BenchResult atMost(
      String scenario, String figure, double value, String unit, double limit, String detail) {
    return new BenchResult(
        scenario, figure, value, unit, "≤ " + format(limit) + " " + unit, value <= limit, detail);
  }

  /** A figure with a target that is met when {@code value >= limit}. */
  public static BenchResult atLeast(
      String scenario, String figure, double value, String unit, double limit, String detail) {
    return new BenchResult(
        scenario, figure, value, unit, "≥ " + format(limit) + " " + unit, value >= limit, detail);
  }

  /** A figure without a target. */
  public static BenchResult figure(
      String scenario, String figure, double value, String unit, String detail) {
    return new BenchResult(scenario, figure, value, unit, null, null, detail);
  }

  /** Prints the figure and, under {@code make bench}, appends it to the results file. */
  public BenchResult record() {
    System.out.printf(
        Locale.ROOT,
        "[bench] %-14s %-52s %12s %-6s %s%n",
        scenario,
        figure,
        format(value),
        unit,
        target == null ? "" : target + (Boolean.TRUE.equals(met) ? "  met" : "  NOT met"));
    String out = System.getProperty("bench.out");
    if (out != null) {
      try {
        Path file = Path.of(out);
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(
            file,
            JSON.writeValueAsString(this) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + out, e);
      }
    }
    return this;
  }

  /** Whole numbers without decimals, small ones with up to three significant decimals. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (Math.abs(value) >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
