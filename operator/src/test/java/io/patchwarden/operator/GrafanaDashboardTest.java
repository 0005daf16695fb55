package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in monitoring/grafana is importable and only queries metrics that exist:
 * every metric name (and label) in a panel query must be in the catalogue of docs/metrics.md or in
 * the explicit allow-list of the non-Patchwarden metrics below. A renamed metric therefore breaks
 * this test instead of leaving an empty panel.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD =
      Path.of("..", "monitoring", "grafana", "patchwarden-dashboard.json");
  private static final Path METRICS_DOC = Path.of("..", "docs", "metrics.md");

  /** Labels Prometheus adds at scrape time (target labels), valid on every series. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "pod");

  /**
   * The non-Patchwarden metrics the dashboard may use, with their labels, as the operator's
   * /metrics serves them (Micrometer's Prometheus registry). Taken from a scrape of the running
   * operator and from JOSDK 5.2's MicrometerMetrics (micrometer-support), which PatchwardenOperator
   * registers with {@code MicrometerMetrics.withoutPerResourceMetrics}: meters are named
   * "operator.sdk." + name, so Prometheus sees operator_sdk_..._total and ..._seconds_bucket.
   */
  private static final List<Allowed> ALLOWED_OTHER_METRICS =
      List.of(
          // JOSDK: timer "operator.sdk.controllers.execution.reconcile", one per controller
          // (maintenancewindow, endpointgroup, managedendpoint, patchpolicy); a histogram in
          // Prometheus (_bucket, _count, _sum, plus Micrometer's _max gauge).
          new Allowed(
              "operator_sdk_controllers_execution_reconcile_seconds",
              "histogram",
              "controller",
              "resource_group",
              "resource_kind",
              "resource_scope",
              "resource_version"),
          // JOSDK: counters "<timer>.success" (tag type) and "<timer>.failure" (tag exception);
          // the failure counter appears with the first failed reconciliation.
          new Allowed(
              "operator_sdk_controllers_execution_reconcile_success_total",
              "counter",
              "controller",
              "type"),
          new Allowed(
              "operator_sdk_controllers_execution_reconcile_failure_total",
              "counter",
              "controller",
              "exception"),
          // JOSDK: counters "operator.sdk.reconciliations.{started,success,failed}" and
          // "operator.sdk.events.received", tagged with the resource's GVK (no per-resource tags).
          new Allowed(
              "operator_sdk_reconciliations_started_total",
              "counter",
              "group",
              "version",
              "kind",
              "scope",
              "reconciliations_retries_last",
              "reconciliations_retries_number"),
          new Allowed(
              "operator_sdk_reconciliations_success_total",
              "counter",
              "group",
              "version",
              "kind",
              "scope"),
          new Allowed(
              "operator_sdk_reconciliations_failed_total",
              "counter",
              "group",
              "version",
              "kind",
              "scope",
              "exception"),
          new Allowed(
              "operator_sdk_events_received_total",
              "counter",
              "group",
              "version",
              "kind",
              "scope",
              "event",
              "action"),
          // Micrometer JvmMemoryMetrics.
          new Allowed("jvm_memory_used_bytes", "gauge", "area", "id"),
          new Allowed("jvm_memory_committed_bytes", "gauge", "area", "id"),
          new Allowed("jvm_memory_max_bytes", "gauge", "area", "id"),
          // Micrometer JvmGcMetrics: jvm.gc.pause is a timer without buckets (_count, _sum, _max).
          new Allowed("jvm_gc_pause_seconds_count", "gauge", "action", "cause", "gc"),
          new Allowed("jvm_gc_pause_seconds_sum", "gauge", "action", "cause", "gc"),
          new Allowed("jvm_gc_pause_seconds_max", "gauge", "action", "cause", "gc"),
          // Micrometer ProcessorMetrics and UptimeMetrics.
          new Allowed("process_cpu_usage", "gauge"),
          new Allowed("process_start_time_seconds", "gauge"),
          new Allowed("process_uptime_seconds", "gauge"));

  /** An allow-listed metric as the documentation would list it: name, type, labels. */
  private record Allowed(String name, String type, Set<String> labels) {
    Allowed(String name, String type, String... labels) {
      this(name, type, Set.of(labels));
    }
  }

  /** The metrics the dashboard is there to show; losing one of them is a regression. */
  private static final List<String> KEY_METRICS =
      List.of(
          "patchwarden_policy_targets",
          "patchwarden_policy_overdue_targets",
          "patchwarden_policy_missing_updates",
          "patchwarden_policy_oldest_missing_update_age_seconds",
          "patchwarden_policy_next_due_timestamp_seconds",
          "patchwarden_run_targets",
          "patchwarden_run_halted",
          "patchwarden_assignments_total",
          "patchwarden_endpoints_stale",
          "patchwarden_endpoints",
          "patchwarden_nodes",
          "patchwarden_node_patch_duration_seconds_bucket",
          "patchwarden_node_oldest_in_flight_seconds",
          "patchwarden_node_drain_timeouts_total",
          "patchwarden_maintenance_window_open",
          "patchwarden_maintenance_window_next_start_timestamp_seconds",
          "patchwarden_gateway_requests_total",
          "patchwarden_gateway_request_duration_seconds_bucket",
          "patchwarden_gateway_endpoint_writes_total",
          "patchwarden_leader",
          "jvm_memory_used_bytes");

  private static JsonNode dashboard;
  private static Catalogue catalogue;

  @BeforeAll
  static void load() throws IOException {
    dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    catalogue = Catalogue.fromMetricsDoc(Files.readString(METRICS_DOC));
    ALLOWED_OTHER_METRICS.forEach(a -> catalogue.addTyped(a.name(), a.type(), a.labels()));
  }

  // ------------------------------------------------------------------------------------------
  // The dashboard

  @Test
  void isAnImportableDashboard() {
    assertThat(dashboard.path("uid").asText()).isNotBlank().hasSizeLessThanOrEqualTo(40);
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.has("id") && !dashboard.get("id").isNull())
        .as("no fixed id: Grafana assigns one on import")
        .isFalse();
    assertThat(dashboard.has("__inputs"))
        .as("no __inputs: the sidecar and file provisioning cannot fill them in")
        .isFalse();
  }

  @Test
  void hasTheDatasourceNamespaceAndPolicyVariables() {
    Map<String, JsonNode> vars = new LinkedHashMap<>();
    dashboard.path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), v));
    assertThat(vars).containsKeys("datasource", "namespace", "policy");

    JsonNode ds = vars.get("datasource");
    assertThat(ds.path("type").asText()).isEqualTo("datasource");
    assertThat(ds.path("query").asText()).isEqualTo("prometheus");

    for (String name : List.of("namespace", "policy")) {
      JsonNode v = vars.get(name);
      assertThat(v.path("type").asText()).as(name).isEqualTo("query");
      assertThat(v.path("multi").asBoolean()).as("%s is multi-select", name).isTrue();
      assertThat(v.path("includeAll").asBoolean()).as("%s offers All", name).isTrue();
      assertThat(isDatasourceVariable(v.path("datasource"))).as(name).isTrue();
      assertThat(variableQuery(v))
          .as(name)
          .startsWith("label_values(patchwarden_policy_targets")
          .endsWith(", " + name + ")");
    }
    assertThat(variableQuery(vars.get("policy")))
        .as("policy choices follow the namespace selection")
        .contains("$namespace");
  }

  @Test
  void everyPanelHasATitleADescriptionAndQueriesOnTheDatasourceVariable() {
    List<JsonNode> panels = allPanels();
    assertThat(panels).hasSizeGreaterThanOrEqualTo(30);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt()))
          .as("panel id %s of '%s' is unique", panel.path("id"), title)
          .isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as("'%s' fits the 24-column grid", title)
          .isBetween(1, 24);
      assertThat(title).as("panel %s has a title", panel.path("id")).isNotBlank();
      if (isRow(panel)) {
        continue;
      }
      assertThat(panel.path("description").asText())
          .as("'%s' has a description", title)
          .isNotBlank();
      assertThat(isDatasourceVariable(panel.path("datasource")))
          .as("'%s' uses the ${datasource} variable", title)
          .isTrue();
      JsonNode targets = panel.path("targets");
      assertThat(targets.size()).as("'%s' has a query", title).isPositive();
      for (JsonNode target : targets) {
        assertThat(target.path("expr").asText())
            .as("'%s' query %s has an expr", title, target.path("refId"))
            .isNotBlank();
        if (target.has("datasource")) {
          assertThat(isDatasourceVariable(target.path("datasource")))
              .as("'%s' query %s uses ${datasource}", title, target.path("refId"))
              .isTrue();
        }
      }
    }
  }

  @Test
  void rowsNestPanelsAndTheirPanelsAreChecked() {
    long nested =
        elements(dashboard.path("panels")).stream()
            .filter(GrafanaDashboardTest::isRow)
            .mapToLong(r -> r.path("panels").size())
            .sum();
    assertThat(nested).as("collapsed rows keep their panels inside the row").isPositive();
    assertThat(allPanels()).hasSize(dashboard.path("panels").size() + (int) nested);
  }

  /** The key test: no panel queries a metric (or label) that does not exist. */
  @Test
  void everyQueriedMetricIsInTheCatalogue() {
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : allPanels()) {
      for (JsonNode target : panel.path("targets")) {
        String where = "'" + panel.path("title").asText() + "' " + target.path("refId").asText();
        problems.addAll(catalogue.check(where, PromQl.parse(target.path("expr").asText())));
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        String where = "variable " + v.path("name").asText();
        problems.addAll(catalogue.check(where, PromQl.parseVariableQuery(variableQuery(v))));
      }
    }
    assertThat(problems).isEmpty();
    assertThat(usedMetrics()).containsAll(KEY_METRICS);
  }

  // ------------------------------------------------------------------------------------------
  // The checker itself

  @Test
  void aMetricThatDoesNotExistIsReported() {
    String expr =
        "sum by (namespace, policy) (patchwarden_does_not_exist{namespace=~\"$namespace\"})\n"
            + "  / sum by (namespace, policy) (patchwarden_policy_targets{policy=~\"$policy\"})";

    assertThat(PromQl.parse(expr).metrics())
        .containsExactlyInAnyOrder("patchwarden_does_not_exist", "patchwarden_policy_targets");
    assertThat(catalogue.check("test", PromQl.parse(expr)))
        .singleElement(STRING)
        .contains("patchwarden_does_not_exist");
    assertThat(catalogue.check("test", PromQl.parse("rate(patchwarden_does_not_exist[5m])")))
        .hasSize(1);
    assertThat(catalogue.check("test", PromQl.parse("patchwarden_does_not_exist"))).hasSize(1);
  }

  @Test
  void aTypoInASeriesSuffixIsReported() {
    assertThat(catalogue.check("t", PromQl.parse("patchwarden_assignments_total_total")))
        .hasSize(1);
    assertThat(catalogue.check("t", PromQl.parse("patchwarden_gateway_request_duration_bucket")))
        .hasSize(1);
    assertThat(catalogue.check("t", PromQl.parse("patchwarden_policy_targets_total"))).hasSize(1);
  }

  @Test
  void labelsAFilterOrGroupingUsesMustExistOnTheMetric() {
    // Groups have no policy label: such a panel would silently stay empty.
    assertThat(
            catalogue.check("t", PromQl.parse("patchwarden_endpoints_stale{policy=~\"$policy\"}")))
        .singleElement(STRING)
        .contains("policy");
    assertThat(catalogue.check("t", PromQl.parse("sum by (severity) (patchwarden_nodes)")))
        .hasSize(1);
    assertThat(
            catalogue.check(
                "t",
                PromQl.parse(
                    "histogram_quantile(0.9, sum by (phase, le) (rate("
                        + "patchwarden_node_patch_duration_seconds_bucket{job=~\"$job\"}[1h])))")))
        .isEmpty();
  }

  @Test
  void anUnknownFunctionIsReported() {
    assertThat(
            catalogue.check(
                "t",
                PromQl.parse(
                    "histogram_quantil(0.99, rate(patchwarden_node_patch_duration_seconds_bucket[5m]))")))
        .singleElement(STRING)
        .contains("histogram_quantil");
  }

  @Test
  void theExtractorSkipsFunctionsKeywordsLabelsStringsDurationsAndVariables() {
    String expr =
        """
        # a comment naming not_a_metric
        sum by (namespace, group) (
          rate(first_metric_total{job=~"$job", route!="enroll|checkin"}[$__rate_interval] offset 5m)
        )
          / on (namespace, group) group_left (os_family)
        max without (instance) (max_over_time(second_metric[1h:5m])) * 1e3 > bool 0x1F
          and ignoring (le) third_metric @ end()
          or label_replace(fourth_metric, "dst", "$1", "src", "(.*)")
          unless {__name__="fifth_metric", job="x"}
          or count_values("version", sixth_metric) + topk(3, seventh_metric) - Inf * NaN
          + clamp_max(-eighth_metric, 1.5e+3) + ${datasource_var} + vector(1) + time()
        """;

    PromQl.Parsed parsed = PromQl.parse(expr);

    assertThat(parsed.metrics())
        .containsExactlyInAnyOrder(
            "first_metric_total",
            "second_metric",
            "third_metric",
            "fourth_metric",
            "fifth_metric",
            "sixth_metric",
            "seventh_metric",
            "eighth_metric");
    assertThat(parsed.selectors())
        .contains(new PromQl.Selector("first_metric_total", Set.of("job", "route")))
        .contains(new PromQl.Selector("fifth_metric", Set.of("job")));
    assertThat(parsed.groupingLabels())
        .containsExactlyInAnyOrder("namespace", "group", "os_family", "instance", "le");
    assertThat(parsed.unknownFunctions()).isEmpty();
  }

  @Test
  void variableQueriesAreReadAsGrafanaWritesThem() {
    assertThat(
            PromQl.parseVariableQuery(
                    "label_values(patchwarden_policy_targets{namespace=~\"$namespace\"}, policy)")
                .selectors())
        .containsExactly(new PromQl.Selector("patchwarden_policy_targets", Set.of("namespace")));
    assertThat(PromQl.parseVariableQuery("label_values(namespace)").metrics()).isEmpty();
    assertThat(PromQl.parseVariableQuery("query_result(sum by (job) (up))").metrics())
        .containsExactly("up");
  }

  @Test
  void theCatalogueDerivesSeriesNamesFromTheMetricTypes() {
    Catalogue c =
        Catalogue.fromMetricsDoc(
            """
            | Metric | Type | Labels | Meaning |
            |---|---|---|---|
            | `x_gauge` | gauge | — | not Patchwarden's: ignored |
            | `patchwarden_g` | gauge | `namespace`, `window` | A gauge. |
            | `patchwarden_c_total` | counter | `route` (`enroll`, `checkin`), `code` | A counter. |
            | `patchwarden_c2` | counter | — | A counter named without _total. |
            | `patchwarden_h_seconds` | histogram | `phase` | A histogram. |

            Prose may name `patchwarden_prose_only{namespace}` too.
            """);

    assertThat(c.names())
        .containsExactlyInAnyOrder(
            "patchwarden_g",
            "patchwarden_c_total",
            "patchwarden_c2_total",
            "patchwarden_h_seconds_bucket",
            "patchwarden_h_seconds_count",
            "patchwarden_h_seconds_sum",
            "patchwarden_h_seconds_max",
            "patchwarden_prose_only");
    assertThat(c.labels("patchwarden_c_total")).containsExactlyInAnyOrder("route", "code");
    assertThat(c.labels("patchwarden_h_seconds_bucket")).containsExactlyInAnyOrder("phase", "le");
    assertThat(c.labels("patchwarden_h_seconds_count")).containsExactly("phase");
    assertThat(c.labels("patchwarden_prose_only")).as("labels unknown: not checked").isNull();
  }

  @Test
  void theRealCatalogueIsReadFromTheDoc() {
    assertThat(catalogue.names())
        .contains(
            "patchwarden_policy_targets",
            "patchwarden_assignments_total",
            "patchwarden_gateway_request_duration_seconds_bucket",
            "patchwarden_node_patch_duration_seconds_count")
        .doesNotContain("patchwarden_assignments_total_total", "patchwarden_does_not_exist");
    assertThat(catalogue.labels("patchwarden_run_targets"))
        .containsExactlyInAnyOrder("namespace", "policy", "wave", "result");
    assertThat(catalogue.labels("patchwarden_leader")).isEmpty();
    assertThat(catalogue.labels("patchwarden_policy_next_due_timestamp_seconds"))
        .containsExactlyInAnyOrder("namespace", "policy");
    assertThat(catalogue.labels("patchwarden_node_oldest_in_flight_seconds"))
        .containsExactlyInAnyOrder("namespace", "policy");
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  private static Set<String> usedMetrics() {
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : allPanels()) {
      for (JsonNode target : panel.path("targets")) {
        used.addAll(PromQl.parse(target.path("expr").asText()).metrics());
      }
    }
    return used;
  }

  private static List<JsonNode> allPanels() {
    List<JsonNode> all = new ArrayList<>();
    collect(dashboard.path("panels"), all);
    return all;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (JsonNode p : panels) {
      into.add(p);
      collect(p.path("panels"), into);
    }
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private static boolean isRow(JsonNode panel) {
    return panel.path("type").asText().equals("row");
  }

  private static boolean isDatasourceVariable(JsonNode ds) {
    String uid = ds.isTextual() ? ds.asText() : ds.path("uid").asText();
    return uid.equals("${datasource}") || uid.equals("$datasource");
  }

  /** Grafana stores a variable's query as a string or as {"query": "..."}. */
  private static String variableQuery(JsonNode v) {
    JsonNode q = v.path("query");
    return q.isObject() ? q.path("query").asText() : q.asText();
  }

  // ------------------------------------------------------------------------------------------

  /** Series names and their labels: what a query may select. */
  static final class Catalogue {
    private static final Pattern TABLE_ROW =
        Pattern.compile(
            "^\\|\\s*`(patchwarden_[a-z0-9_]+)`\\s*\\|\\s*([a-z]+)\\s*\\|([^|]*)\\|",
            Pattern.MULTILINE);
    private static final Pattern BACKTICKED = Pattern.compile("`(patchwarden_[a-z0-9_]+)(?=[`{])");
    private static final Pattern LABEL = Pattern.compile("`([a-zA-Z_][a-zA-Z0-9_]*)`");

    /** Series name → its labels, or null when the labels are not known (not checked). */
    private final Map<String, Set<String>> series = new LinkedHashMap<>();

    static Catalogue fromMetricsDoc(String markdown) {
      Catalogue c = new Catalogue();
      Matcher row = TABLE_ROW.matcher(markdown);
      while (row.find()) {
        // Backticked words in parentheses are label values, e.g. `route` (`enroll`, ...).
        String labelCell = row.group(3).replaceAll("\\([^)]*\\)", "");
        Set<String> labels = new LinkedHashSet<>();
        Matcher l = LABEL.matcher(labelCell);
        while (l.find()) {
          labels.add(l.group(1));
        }
        c.addTyped(row.group(1), row.group(2), labels);
      }
      Matcher named = BACKTICKED.matcher(markdown);
      while (named.find()) {
        String name = named.group(1);
        if (!c.covers(name)) {
          c.series.put(name, null);
        }
      }
      return c;
    }

    /** True if the name is a documented metric or one of its series. */
    private boolean covers(String name) {
      return series.containsKey(name)
          || series.containsKey(name + "_total")
          || series.containsKey(name + "_bucket");
    }

    void addTyped(String name, String type, Set<String> labels) {
      switch (type) {
        case "counter" -> series.put(name.endsWith("_total") ? name : name + "_total", labels);
        case "histogram", "summary" -> {
          Set<String> withLe = new LinkedHashSet<>(labels);
          withLe.add(type.equals("histogram") ? "le" : "quantile");
          series.put(type.equals("histogram") ? name + "_bucket" : name, withLe);
          series.put(name + "_count", labels);
          series.put(name + "_sum", labels);
          series.put(name + "_max", labels); // Micrometer's companion gauge
        }
        default -> series.put(name, labels);
      }
    }

    Set<String> names() {
      return series.keySet();
    }

    Set<String> labels(String name) {
      return series.get(name);
    }

    /** What is wrong with a query: unknown metrics, labels and functions. */
    List<String> check(String where, PromQl.Parsed query) {
      List<String> problems = new ArrayList<>();
      if (query.selectors().isEmpty()) {
        problems.add(where + ": selects no metric");
      }
      Set<String> known = new HashSet<>(TARGET_LABELS);
      for (PromQl.Selector s : query.selectors()) {
        if (!series.containsKey(s.metric())) {
          problems.add(where + ": unknown metric " + s.metric());
          known = null; // its labels are unknown: grouping labels cannot be checked
          continue;
        }
        Set<String> labels = series.get(s.metric());
        if (labels == null) {
          known = null; // some labels unknown: grouping labels cannot be checked
          continue;
        }
        if (known != null) {
          known.addAll(labels);
        }
        for (String label : s.labels()) {
          if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
            problems.add(where + ": " + s.metric() + " has no label " + label);
          }
        }
      }
      if (known != null) {
        for (String label : query.groupingLabels()) {
          if (!known.contains(label)) {
            problems.add(where + ": no metric of the query has label " + label);
          }
        }
      }
      for (String f : query.unknownFunctions()) {
        problems.add(where + ": unknown function " + f);
      }
      return problems;
    }
  }

  /**
   * Metric names in a PromQL expression, found by a small lexer: identifiers that are not functions
   * (followed by "("), aggregation operators, keywords, label names (inside {} or the parentheses
   * after by/without/on/ignoring/group_left/group_right), strings, numbers, durations (inside [])
   * or Grafana variables ($x, ${x}).
   */
  static final class PromQl {
    record Selector(String metric, Set<String> labels) {}

    record Parsed(
        Set<Selector> selectors, Set<String> groupingLabels, Set<String> unknownFunctions) {
      Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        selectors.forEach(s -> names.add(s.metric()));
        return names;
      }
    }

    private static final Set<String> AGGREGATIONS =
        Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    private static final Set<String> FUNCTIONS =
        Set.of(
            "abs",
            "absent",
            "absent_over_time",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "avg_over_time",
            "ceil",
            "changes",
            "clamp",
            "clamp_max",
            "clamp_min",
            "cos",
            "cosh",
            "count_over_time",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "deg",
            "delta",
            "deriv",
            "double_exponential_smoothing",
            "exp",
            "floor",
            "histogram_avg",
            "histogram_count",
            "histogram_fraction",
            "histogram_quantile",
            "histogram_stddev",
            "histogram_stdvar",
            "histogram_sum",
            "holt_winters",
            "hour",
            "idelta",
            "increase",
            "info",
            "irate",
            "label_join",
            "label_replace",
            "last_over_time",
            "ln",
            "log10",
            "log2",
            "mad_over_time",
            "max_over_time",
            "min_over_time",
            "minute",
            "month",
            "pi",
            "predict_linear",
            "present_over_time",
            "quantile_over_time",
            "rad",
            "rate",
            "resets",
            "round",
            "scalar",
            "sgn",
            "sin",
            "sinh",
            "sort",
            "sort_by_label",
            "sort_by_label_desc",
            "sort_desc",
            "sqrt",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time",
            "tan",
            "tanh",
            "time",
            "timestamp",
            "vector",
            "year",
            // the @ modifier's start() and end()
            "start",
            "end");

    private static final Set<String> GROUPING =
        Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Set<String> KEYWORDS =
        Set.of("bool", "offset", "and", "or", "unless", "atan2", "inf", "nan");

    private enum Kind {
      IDENT,
      BRACES,
      OPEN,
      CLOSE,
      OTHER
    }

    private record Token(Kind kind, String text) {}

    static Parsed parse(String expr) {
      List<Token> tokens = lex(expr);
      Set<Selector> selectors = new LinkedHashSet<>();
      Set<String> grouping = new LinkedHashSet<>();
      Set<String> unknownFunctions = new LinkedHashSet<>();
      for (int i = 0; i < tokens.size(); i++) {
        Token t = tokens.get(i);
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.OTHER, "");
        if (t.kind() == Kind.BRACES) {
          // A selector without a name before its braces: {__name__="x", ...}
          Selector s = matchers(null, t.text());
          if (s != null) {
            selectors.add(s);
          }
          continue;
        }
        if (t.kind() != Kind.IDENT) {
          continue;
        }
        String word = t.text().toLowerCase(Locale.ROOT);
        if (GROUPING.contains(word)) {
          if (next.kind() == Kind.OPEN) {
            int j = i + 2;
            for (; j < tokens.size() && tokens.get(j).kind() != Kind.CLOSE; j++) {
              if (tokens.get(j).kind() == Kind.IDENT) {
                grouping.add(tokens.get(j).text());
              }
            }
            i = j;
          }
        } else if (KEYWORDS.contains(word)) {
          continue;
        } else if (next.kind() == Kind.OPEN
            || (AGGREGATIONS.contains(t.text())
                && next.kind() == Kind.IDENT
                && GROUPING.contains(next.text()))) {
          if (!FUNCTIONS.contains(t.text()) && !AGGREGATIONS.contains(t.text())) {
            unknownFunctions.add(t.text());
          }
        } else if (next.kind() == Kind.BRACES) {
          selectors.add(matchers(t.text(), next.text()));
          i++;
        } else {
          selectors.add(new Selector(t.text(), Set.of()));
        }
      }
      return new Parsed(selectors, grouping, unknownFunctions);
    }

    private static final Pattern LABEL_VALUES =
        Pattern.compile(
            "^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern QUERY_RESULT =
        Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

    /** A Grafana Prometheus variable query: label_values(selector, label), query_result(q). */
    static Parsed parseVariableQuery(String query) {
      Matcher m = LABEL_VALUES.matcher(query);
      if (m.matches()) {
        return parse(m.group(1));
      }
      m = QUERY_RESULT.matcher(query);
      if (m.matches()) {
        return parse(m.group(1));
      }
      // label_values(label), label_names(), metrics(regex): no metric.
      return new Parsed(Set.of(), Set.of(), Set.of());
    }

    private static final Pattern MATCHER =
        Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_]*|\"(?:[^\"\\\\]|\\\\.)*\")\\s*"
                + "(?:(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`))?"
                + "\\s*(?:,|$)");

    /** The label matchers inside {...}; a __name__="x" matcher names the metric. */
    private static Selector matchers(String metric, String inside) {
      Set<String> labels = new TreeSet<>();
      Matcher m = MATCHER.matcher(inside);
      int at = 0;
      while (!inside.substring(at).isBlank()) {
        m.region(at, inside.length());
        if (!m.lookingAt()) {
          throw new IllegalArgumentException("cannot read label matchers {" + inside + "}");
        }
        String name = unquote(m.group(1));
        String op = m.group(2);
        if (op == null) {
          metric = name; // Prometheus 3: {"metric.name", label="x"}
        } else if (name.equals("__name__")) {
          if (op.equals("=")) {
            metric = unquote(m.group(3));
          }
        } else {
          labels.add(name);
        }
        at = m.end();
      }
      return metric == null ? null : new Selector(metric, labels);
    }

    private static String unquote(String s) {
      return s.length() >= 2 && "\"'`".indexOf(s.charAt(0)) >= 0
          ? s.substring(1, s.length() - 1)
          : s;
    }

    private static List<Token> lex(String s) {
      List<Token> tokens = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '#') {
          while (i < s.length() && s.charAt(i) != '\n') {
            i++;
          }
        } else if (c == '"' || c == '\'' || c == '`') {
          i = endOfString(s, i);
          tokens.add(new Token(Kind.OTHER, "string"));
        } else if (c == '$') {
          // Grafana variable: ${name}, ${name:format} or $name
          i++;
          if (i < s.length() && s.charAt(i) == '{') {
            i = s.indexOf('}', i) + 1;
          } else {
            while (i < s.length() && isIdentPart(s.charAt(i))) {
              i++;
            }
          }
          tokens.add(new Token(Kind.OTHER, "variable"));
        } else if (Character.isDigit(c)
            || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
          // number, hex number, float with exponent, or duration (5m, 1h30m)
          int start = i;
          while (i < s.length()) {
            char d = s.charAt(i);
            boolean exponentSign =
                (d == '+' || d == '-')
                    && "eE".indexOf(s.charAt(i - 1)) >= 0
                    && !s.substring(start, i).toLowerCase(Locale.ROOT).startsWith("0x");
            if (Character.isLetterOrDigit(d) || d == '.' || d == '_' || exponentSign) {
              i++;
            } else {
              break;
            }
          }
          tokens.add(new Token(Kind.OTHER, s.substring(start, i)));
        } else if (Character.isLetter(c) || c == '_' || c == ':') {
          int start = i;
          while (i < s.length() && isIdentPart(s.charAt(i))) {
            i++;
          }
          tokens.add(new Token(Kind.IDENT, s.substring(start, i)));
        } else if (c == '{' || c == '[') {
          int end = closing(s, i, c, c == '{' ? '}' : ']');
          if (c == '{') {
            tokens.add(new Token(Kind.BRACES, s.substring(i + 1, end)));
          } else {
            tokens.add(new Token(Kind.OTHER, "range")); // [5m], [$__range], [1h:5m]
          }
          i = end + 1;
        } else if (c == '(') {
          tokens.add(new Token(Kind.OPEN, "("));
          i++;
        } else if (c == ')') {
          tokens.add(new Token(Kind.CLOSE, ")"));
          i++;
        } else {
          tokens.add(new Token(Kind.OTHER, String.valueOf(c)));
          i++;
        }
      }
      return tokens;
    }

    private static boolean isIdentPart(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int endOfString(String s, int start) {
      char quote = s.charAt(start);
      int i = start + 1;
      while (i < s.length() && s.charAt(i) != quote) {
        i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
      }
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated string in " + s);
      }
      return i + 1;
    }

    private static int closing(String s, int start, char open, char close) {
      int i = start + 1;
      while (i < s.length() && s.charAt(i) != close) {
        char c = s.charAt(i);
        i = c == '"' || c == '\'' || c == '`' ? endOfString(s, i) : i + 1;
      }
      if (i >= s.length()) {
        throw new IllegalArgumentException("unbalanced " + open + " in " + s);
      }
      return i;
    }
  }
}
