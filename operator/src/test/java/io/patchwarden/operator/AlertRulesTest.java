package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules in monitoring/prometheus/: valid ({@code promtool check rules}), their
 * promtool unit tests pass ({@code promtool test rules}), they only use metrics docs/metrics.md
 * lists, and every alert has its labels, annotations, runbook section and tests.
 *
 * <p>promtool is required, not optional: {@code make test} installs it ({@code make promtool}), and
 * a missing promtool fails this test instead of skipping it.
 */
class AlertRulesTest {
  private static final Path ROOT = Path.of("..");
  private static final Path RULES = ROOT.resolve("monitoring/prometheus/patchwarden-alerts.yaml");
  private static final Path RULE_TESTS =
      ROOT.resolve("monitoring/prometheus/patchwarden-alerts-test.yaml");
  private static final Path METRICS_DOC = ROOT.resolve("docs/metrics.md");
  private static final Path ALERTS_DOC = ROOT.resolve("docs/alerts.md");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  private static final Pattern METRIC = Pattern.compile("\\bpatchwarden_[a-z_]+");

  /** A row of the table in docs/metrics.md: | `name` | type | labels | meaning |. */
  private static final Pattern DOCUMENTED_METRIC =
      Pattern.compile("^\\| `(patchwarden_[a-z_]+)` \\| ([a-z]+) \\|", Pattern.MULTILINE);

  /** The series of a histogram family besides the family name itself. */
  private static final Pattern HISTOGRAM_SERIES = Pattern.compile("_(bucket|count|sum)$");

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    promtool("check", "rules", RULES);
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    promtool("test", "rules", RULE_TESTS);
  }

  @Test
  void rulesUseOnlyDocumentedMetrics() throws IOException {
    String doc = Files.readString(METRICS_DOC);
    Map<String, String> documented = new TreeMap<>(); // name -> type
    Matcher d = DOCUMENTED_METRIC.matcher(doc);
    while (d.find()) {
      documented.put(d.group(1), d.group(2));
    }
    assertThat(documented)
        .as("metric names in the table of %s", METRICS_DOC)
        .hasSizeGreaterThan(10);

    // Expressions, and annotations too: a template may query a metric.
    Set<String> used = new TreeSet<>();
    for (JsonNode rule : rules()) {
      scan(rule.path("expr").asText(), used);
      rule.path("annotations").forEach(a -> scan(a.asText(), used));
    }
    assertThat(used).as("patchwarden_* metrics used by the rules").hasSizeGreaterThan(10);

    List<String> unknown = new ArrayList<>();
    for (String name : used) {
      if (!isDocumented(name, documented)) {
        unknown.add(name);
      }
    }
    assertThat(unknown)
        .as(
            "metrics used in %s but not listed in %s (documented: %s)",
            RULES, METRICS_DOC, documented.keySet())
        .isEmpty();
  }

  @Test
  void everyAlertHasSeverityAnnotationsAndARunbookSection() throws IOException {
    String runbooks = Files.readString(ALERTS_DOC);
    Set<String> anchors = new TreeSet<>();
    for (String line : runbooks.split("\n")) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        anchors.add(githubAnchor(line.replaceFirst("^#+ ", "")));
      }
    }
    List<JsonNode> alerts = alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode alert : alerts) {
      String name = alert.path("alert").asText();
      assertThat(alert.path("labels").path("severity").asText())
          .as("%s: label severity", name)
          .isIn(SEVERITIES);
      assertThat(alert.path("for").asText()).as("%s: for", name).isNotBlank();
      for (String annotation : List.of("summary", "description")) {
        assertThat(alert.path("annotations").path(annotation).asText())
            .as("%s: annotation %s", name, annotation)
            .isNotBlank();
      }
      String runbook = alert.path("annotations").path("runbook_url").asText();
      assertThat(runbook).as("%s: runbook_url", name).startsWith("docs/alerts.md#");
      assertThat(anchors)
          .as("%s: %s has a section for runbook_url %s", name, ALERTS_DOC, runbook)
          .contains(runbook.substring(runbook.indexOf('#') + 1));
    }
  }

  @Test
  void everyAlertHasAFiringAndAQuietTestCase() throws IOException {
    Map<String, int[]> cases = new LinkedHashMap<>(); // alert -> {firing, quiet}
    alerts().forEach(a -> cases.put(a.path("alert").asText(), new int[2]));
    for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        int[] counts = cases.get(check.path("alertname").asText());
        assertThat(counts)
            .withFailMessage(
                "%s tests alert %s, which %s does not define",
                RULE_TESTS, check.path("alertname").asText(), RULES)
            .isNotNull();
        counts[check.path("exp_alerts").isEmpty() ? 1 : 0]++;
      }
    }
    cases.forEach(
        (alert, counts) -> {
          assertThat(counts[0]).as("%s: test cases where it fires", alert).isPositive();
          assertThat(counts[1]).as("%s: test cases where it must not fire", alert).isPositive();
        });
  }

  private static void scan(String text, Set<String> into) {
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      into.add(m.group());
    }
  }

  /**
   * Documented as is; or a _bucket, _count or _sum series of a documented histogram; or the _total
   * series of a counter the table lists without the suffix.
   */
  private static boolean isDocumented(String name, Map<String, String> documented) {
    if (documented.containsKey(name)) {
      return true;
    }
    Matcher histogram = HISTOGRAM_SERIES.matcher(name);
    if (histogram.find()) {
      return "histogram".equals(documented.get(name.substring(0, histogram.start())));
    }
    return name.endsWith("_total")
        && "counter".equals(documented.get(name.substring(0, name.length() - "_total".length())));
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
  private static String githubAnchor(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static List<JsonNode> rules() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      group.path("rules").forEach(rules::add);
    }
    assertThat(rules).as("rules in %s", RULES).isNotEmpty();
    return rules;
  }

  private static List<JsonNode> alerts() throws IOException {
    return rules().stream().filter(r -> r.hasNonNull("alert")).toList();
  }

  /** Runs promtool with a file argument and asserts exit code 0, showing its output otherwise. */
  private static void promtool(String command, String subcommand, Path file) throws Exception {
    String promtool =
        findPromtool()
            .orElseGet(
                () ->
                    fail(
                        "promtool not found (looked at $PROMTOOL, on PATH, in /usr/local/bin and"
                            + " /usr/bin): run `make promtool` (hack/promtool.sh) to install it"));
    Path absolute = file.toAbsolutePath().normalize();
    assertThat(absolute).as("%s exists", absolute).isRegularFile();
    Path log = Files.createTempFile("promtool-", ".log");
    try {
      Process p =
          new ProcessBuilder(promtool, command, subcommand, absolute.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail(
            "`promtool %s %s %s` did not finish within 2 minutes; its output:%n%s",
            command, subcommand, absolute, Files.readString(log));
      }
      assertThat(p.exitValue())
          .as(
              "exit code of `%s %s %s %s`; its output:%n%s",
              promtool, command, subcommand, absolute, Files.readString(log))
          .isZero();
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Optional<String> findPromtool() {
    String explicit = System.getenv("PROMTOOL");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(explicit);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "promtool")),
            Stream.of(Path.of("/usr/local/bin/promtool"), Path.of("/usr/bin/promtool")))
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }
}
