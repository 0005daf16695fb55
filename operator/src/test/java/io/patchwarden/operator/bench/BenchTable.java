package io.patchwarden.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of {@code make bench}: reads the JSON lines the scenarios recorded, writes them as
 * one JSON document ({@code results.json} next to them) and replaces the results table in
 * docs/benchmarks.md between its two markers. Everything outside the markers (how each scenario
 * works, what the figures mean) is written by hand.
 */
public final class BenchTable {
  static final String START = "<!-- bench:results:start (make bench rewrites this table) -->";
  static final String END = "<!-- bench:results:end -->";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BenchTable RESULTS.jsonl docs/benchmarks.md");
      System.exit(64);
    }
    Path lines = Path.of(args[0]);
    Path doc = Path.of(args[1]);
    List<BenchResult> results = read(lines);
    if (results.isEmpty()) {
      System.err.println(lines + " holds no results: was any scenario run?");
      System.exit(1);
    }
    String machine = machine(LocalDate.now());
    Path json = lines.resolveSibling("results.json");
    JSON.writeValue(json.toFile(), new Results(machine, results));
    Files.writeString(
        doc, replace(Files.readString(doc, StandardCharsets.UTF_8), table(machine, results)));
    System.out.printf("%d figures: %s and the table in %s%n", results.size(), json, doc);
  }

  /** The JSON document make bench leaves. */
  record Results(String machine, List<BenchResult> results) {}

  static List<BenchResult> read(Path lines) throws IOException {
    List<BenchResult> out = new ArrayList<>();
    for (String line : Files.readAllLines(lines, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(JSON.readValue(line, BenchResult.class));
      }
    }
    return out;
  }

  static String machine(LocalDate date) {
    return String.format(
        "%s, %d cores, Java %s, %s %s",
        date,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }

  static String table(String machine, List<BenchResult> results) {
    StringBuilder out = new StringBuilder();
    out.append("Measured by `make bench`: ").append(machine).append(".\n\n");
    out.append("| Scenario | Figure | Measured | Target | Met | Detail |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (BenchResult r : results) {
      out.append("| ")
          .append(r.scenario())
          .append(" | ")
          .append(cell(r.figure()))
          .append(" | **")
          .append(BenchResult.format(r.value()))
          .append("** ")
          .append(r.unit())
          .append(" | ")
          .append(r.target() == null ? "–" : cell(r.target()))
          .append(" | ")
          .append(r.met() == null ? "–" : r.met() ? "yes" : "**no**")
          .append(" | ")
          .append(r.detail() == null ? "" : cell(r.detail()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The document with the text between the markers replaced; fails when a marker is missing. */
  static String replace(String doc, String table) {
    int start = doc.indexOf(START);
    int end = doc.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "docs/benchmarks.md lacks the markers " + START + " and " + END);
    }
    return doc.substring(0, start + START.length()) + "\n" + table + doc.substring(end);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
