package io.patchwarden.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.Condition;
import io.patchwarden.api.common.ConditionStatus;
import io.patchwarden.api.testing.CrdSchemaValidator;
import io.patchwarden.operator.status.Reason;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random specs of every user-written kind that the generated CRD admits (schema and CEL, checked
 * with {@link CrdSchemaValidator}), for fuzzing the reconcilers. Each case is one of:
 *
 * <ul>
 *   <li><b>valid</b>: built from values known to be good; must end {@code Ready=True SpecValid};
 *   <li><b>fault</b>: a valid spec with exactly one injected problem only the operator can see
 *       (unknown time zone, a window that never opens, a missing group, a too-large duration, ...);
 *       must end {@code Ready=False} with the expected reason and a message naming the field;
 *   <li><b>wild</b>: random values in every field that the schema lets through (any pattern-
 *       conforming digits, unicode strings, random cron fields, random selector operators); must
 *       end with a Ready condition, and when it is False, with a reason of its kind and a message
 *       that starts with a field path of the spec.
 * </ul>
 *
 * Plain {@link Random} so that jqwik's seeded source drives it ({@code Arbitraries.randomValue}).
 * The namespace fixtures a case may reference are {@link #GROUPS} and {@link #WINDOW}.
 */
public final class SpecFuzz {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** EndpointGroups that exist where policies are fuzzed. */
  public static final List<String> GROUPS = List.of("fx-a", "fx-b");

  /** A valid MaintenanceWindow that exists where policies are fuzzed. */
  public static final String WINDOW = "fx-window";

  /** The label the fixture endpoints carry, so fuzzed groups and policies select them. */
  public static final String MEMBER_KEY = "fuzz";

  public static final String MEMBER_VALUE = "member";

  /** "Now" may be anywhere in this year or the next; valid dates lie beyond, past ones before. */
  private static final int FUTURE_FROM = 2028;

  private static final int PAST_UNTIL = 2025;

  /**
   * What a case must end in.
   *
   * @param ready true: Ready=True SpecValid; false: Ready=False with {@code reason} and a message
   *     containing {@code field}; null: any Ready (wild)
   */
  public record Expect(Boolean ready, String reason, String field) {
    static final Expect VALID = new Expect(true, "SpecValid", null);
    static final Expect ANY = new Expect(null, null, null);

    static Expect invalid(String reason, String field) {
      return new Expect(false, reason, field);
    }
  }

  /**
   * @param kind the CRD plural
   * @param mode valid, a fault's name, or wild
   */
  public record Case(String kind, String mode, ObjectNode object, Expect expect) {
    public ObjectNode spec() {
      return (ObjectNode) object.get("spec");
    }

    public String name() {
      return object.path("metadata").path("name").asText();
    }

    /** Violations of the generated CRD: empty when kube-apiserver would admit it. */
    public List<String> schemaViolations() {
      return CrdSchemaValidator.forKind(kind).validate(object);
    }

    /** Whether kube-apiserver would admit it; counts it in {@code tally} when not. */
    public boolean admitted(Tally tally) {
      boolean admitted = schemaViolations().isEmpty();
      if (!admitted) {
        tally.add("rejected by the CRD schema/CEL [" + mode + "]");
      }
      return admitted;
    }

    @Override
    public String toString() {
      return kind + "/" + name() + " [" + mode + "] " + object;
    }
  }

  private final Random r;
  private int serial;

  public SpecFuzz(Random random) {
    this.r = random;
  }

  // ---------------------------------------------------------------- MaintenanceWindow

  private static final List<String> GOOD_ZONES =
      List.of(
          "Europe/Berlin",
          "UTC",
          "America/New_York",
          "Asia/Kolkata",
          "Australia/Lord_Howe",
          "Pacific/Chatham",
          "Etc/GMT-14",
          "Local");
  private static final List<String> DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
  private static final List<String> WEEKS = List.of("First", "Second", "Third", "Fourth", "Last");
  private static final List<String> GOOD_CRONS =
      List.of(
          "0 22 * * 4",
          "30 2 * * *",
          "0 */6 * * *",
          "15 3 1 * *",
          "*/30 9-17 * * 1-5",
          "0 12 29 2 *",
          "45 1 * * 6,0",
          "0 0 1 1,7 *");

  public Case window() {
    ObjectNode spec = JSON.createObjectNode();
    String zone = pick(GOOD_ZONES);
    spec.put("timeZone", zone);
    if ("Local".equals(zone) && r.nextBoolean()) {
      spec.put("fallbackTimeZone", pick(GOOD_ZONES.subList(0, GOOD_ZONES.size() - 1)));
    }
    ObjectNode recurrence = spec.putObject("recurrence");
    int kind = r.nextInt(4);
    switch (kind) {
      case 0 -> {
        ArrayNode days = recurrence.putObject("weekly").putArray("days");
        sample(DAYS, 1 + r.nextInt(7)).forEach(days::add);
      }
      case 1 -> {
        ObjectNode monthly = recurrence.putObject("monthly");
        if (r.nextBoolean()) {
          monthly.put("week", pick(WEEKS)).put("day", pick(DAYS));
          if (r.nextBoolean()) {
            monthly.put("offsetDays", r.nextInt(61) - 30);
          }
        } else {
          monthly.put("dayOfMonth", r.nextInt(8) == 0 ? -1 : 1 + r.nextInt(31));
        }
      }
      case 2 -> recurrence.put("cron", pick(GOOD_CRONS));
      default -> recurrence.put("once", futureDate().toString());
    }
    if (kind != 2) {
      spec.put("start", String.format("%02d:%02d", r.nextInt(24), r.nextInt(60)));
    }
    spec.put("duration", duration(15 * 60 + r.nextInt(7 * 86_400 - 15 * 60 + 1)));
    if (kind != 3 && r.nextInt(3) == 0) {
      ArrayNode exclusions = spec.putArray("exclusions");
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        LocalDate from = LocalDate.of(FUTURE_FROM + r.nextInt(5), 1 + r.nextInt(12), 1);
        exclusions
            .addObject()
            .put("name", "freeze-" + i)
            .put("from", from.toString())
            .put("to", from.plusDays(r.nextInt(20)).toString());
      }
    }
    if (r.nextInt(4) == 0) {
      spec.put("activeFrom", LocalDate.of(2015 + r.nextInt(10), 1 + r.nextInt(12), 1).toString());
    }
    if (r.nextInt(4) == 0) {
      spec.put("activeUntil", LocalDate.of(2040 + r.nextInt(50), 1 + r.nextInt(12), 1).toString());
    }
    return windowMutation(spec);
  }

  private Case windowMutation(ObjectNode spec) {
    int choice = r.nextInt(16);
    ObjectNode recurrence = (ObjectNode) spec.get("recurrence");
    Expect expect;
    String mode;
    switch (choice) {
      case 0 -> {
        mode = "unknown-zone";
        spec.put("timeZone", "Nowhere/" + letters(3, 12));
        expect = Expect.invalid("InvalidTimeZone", "spec.timeZone");
      }
      case 1 -> {
        mode = "unknown-fallback-zone";
        spec.put("fallbackTimeZone", "Atlantis/" + letters(3, 12));
        expect = Expect.invalid("InvalidTimeZone", "spec.fallbackTimeZone");
      }
      case 2 -> {
        mode = "duration-out-of-range";
        spec.put(
            "duration", pick(List.of("0s", "0d", "1m", "14m59s", "10m", "7d1s", "8d", "200h")));
        expect = Expect.invalid("InvalidDuration", "spec.duration");
      }
      case 3 -> {
        mode = "duration-huge";
        spec.put("duration", digits(12, 15) + pick(List.of("d", "h", "m", "s")));
        expect = Expect.invalid("InvalidDuration", "spec.duration");
      }
      case 4 -> {
        mode = "once-in-the-past";
        replaceRecurrence(spec).put("once", pastDate().toString());
        expect = Expect.invalid("NeverOpens", "spec.recurrence.once");
      }
      case 5 -> {
        mode = "once-not-a-date";
        replaceRecurrence(spec).put("once", impossibleDate());
        expect = Expect.invalid("InvalidDate", "spec.recurrence.once");
      }
      case 6 -> {
        mode = "cron-malformed";
        spec.remove("start");
        recurrence.removeAll();
        recurrence.put(
            "cron",
            pick(List.of("61 * * * *", "* 25 * * *", "0 0 32 * *", "0 0 * 13 *", "x y z * *")));
        expect = Expect.invalid("InvalidCron", "spec.recurrence.cron");
      }
      case 7 -> {
        mode = "cron-never";
        spec.remove("start");
        recurrence.removeAll();
        recurrence.put("cron", pick(List.of("0 0 30 2 *", "0 0 31 4 *", "0 0 31 11 *")));
        expect = Expect.invalid("NeverOpens", "spec.recurrence");
      }
      case 8 -> {
        mode = "active-until-passed";
        spec.remove("activeFrom");
        spec.put("activeUntil", pastDate().toString());
        expect = Expect.invalid("NeverOpens", "spec.activeUntil");
      }
      case 9 -> {
        mode = "everything-excluded";
        ArrayNode all = spec.putArray("exclusions");
        all.addObject().put("name", "forever").put("from", "2000-01-01").put("to", "2099-12-31");
        expect = Expect.invalid("NeverOpens", "spec.exclusions");
      }
      case 10 -> {
        mode = "active-from-not-a-date";
        spec.remove("activeUntil");
        spec.put("activeFrom", impossibleDate());
        expect = Expect.invalid("InvalidDate", "spec.activeFrom");
      }
      case 11 -> {
        mode = "exclusion-not-a-date";
        String from = impossibleDate();
        ArrayNode one = spec.putArray("exclusions");
        one.addObject().put("name", "typo").put("from", from).put("to", from);
        expect = Expect.invalid("InvalidDate", "spec.exclusions[0].from");
      }
      case 12, 13 -> {
        mode = "wild";
        wildWindow(spec);
        expect = Expect.ANY;
      }
      default -> {
        mode = "valid";
        expect = Expect.VALID;
      }
    }
    return new Case("maintenancewindows", mode, object("MaintenanceWindow", "mw", spec), expect);
  }

  private static ObjectNode replaceRecurrence(ObjectNode spec) {
    ObjectNode recurrence = spec.putObject("recurrence");
    if (!spec.has("start")) {
      spec.put("start", "22:00");
    }
    spec.remove("exclusions");
    return recurrence;
  }

  /** Anything the schema lets through in one to three fields. */
  private void wildWindow(ObjectNode spec) {
    int fields = 1 + r.nextInt(3);
    for (int i = 0; i < fields; i++) {
      switch (r.nextInt(7)) {
        case 0 -> spec.put("timeZone", zoneLike());
        case 1 -> spec.put("duration", durationLike());
        case 2 -> {
          spec.remove("start");
          ObjectNode recurrence = spec.putObject("recurrence");
          recurrence.put("cron", cronLike());
        }
        case 3 -> {
          ObjectNode recurrence = replaceRecurrence(spec);
          recurrence.put("once", dateLike());
        }
        case 4 -> {
          String a = dateOrTimestampLike();
          String b = dateOrTimestampLike();
          spec.put("activeFrom", a.compareTo(b) <= 0 ? a : b);
          spec.put("activeUntil", a.compareTo(b) <= 0 ? b : a);
        }
        case 5 -> {
          String a = dateOrTimestampLike();
          String b = dateOrTimestampLike();
          ArrayNode exclusions = spec.putArray("exclusions");
          exclusions
              .addObject()
              .put("name", unicode(1, 63))
              .put("from", a.compareTo(b) <= 0 ? a : b)
              .put("to", a.compareTo(b) <= 0 ? b : a);
        }
        default -> {
          if (!spec.path("recurrence").has("cron")) {
            ObjectNode monthly = replaceRecurrence(spec).putObject("monthly");
            monthly.put("week", pick(WEEKS)).put("day", pick(DAYS));
            monthly.put("offsetDays", r.nextInt(61) - 30);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- EndpointGroup

  private static final List<String> TIERS = List.of("Critical", "High", "Standard", "Low");

  public Case group() {
    ObjectNode spec = JSON.createObjectNode();
    int which = r.nextInt(3);
    String selector = which == 1 ? "nodeSelector" : "endpointSelector";
    spec.set(selector, selector(true));
    if (which == 2) {
      spec.set("nodeSelector", selector(false));
    }
    if (r.nextBoolean()) {
      spec.put("tier", pick(TIERS));
    }
    if (r.nextInt(3) > 0) {
      spec.put("staleAfter", duration(60 + r.nextInt(60 * 86_400)));
    }
    Expect expect;
    String mode;
    String at = selector + ".matchExpressions[0]";
    switch (r.nextInt(11)) {
      case 0 -> {
        mode = "unknown-operator";
        firstExpression(spec, selector)
            .put("key", "role")
            .put("operator", pick(List.of("Equals", "in", "Gt", "", "exists", "NotExists")));
        expect = Expect.invalid("InvalidSelector", "spec." + at + ".operator");
      }
      case 1 -> {
        mode = "set-operator-without-values";
        ObjectNode e = firstExpression(spec, selector);
        e.put("key", "role").put("operator", pick(List.of("In", "NotIn")));
        if (r.nextBoolean()) {
          e.putArray("values");
        } else {
          e.remove("values");
        }
        expect = Expect.invalid("InvalidSelector", "spec." + at + ".values");
      }
      case 2 -> {
        mode = "existence-operator-with-values";
        ObjectNode e = firstExpression(spec, selector);
        e.put("key", "role").put("operator", pick(List.of("Exists", "DoesNotExist")));
        e.putArray("values").add(label());
        expect = Expect.invalid("InvalidSelector", "spec." + at + ".values");
      }
      case 3 -> {
        mode = "expression-without-key";
        ObjectNode e = firstExpression(spec, selector);
        e.put("operator", "Exists").remove("values");
        if (r.nextBoolean()) {
          e.put("key", pick(List.of("", " ", "\t")));
        } else {
          e.remove("key");
        }
        expect = Expect.invalid("InvalidSelector", "spec." + at + ".key");
      }
      case 4 -> {
        mode = "stale-after-too-short";
        spec.put("staleAfter", pick(List.of("0s", "0m", "30s", "59s", "0d0h0m1s")));
        expect = Expect.invalid("InvalidDuration", "spec.staleAfter");
      }
      case 5 -> {
        mode = "stale-after-huge";
        spec.put("staleAfter", digits(12, 15) + pick(List.of("d", "h")));
        expect = Expect.invalid("InvalidDuration", "spec.staleAfter");
      }
      case 6, 7 -> {
        mode = "wild";
        wildSelector(spec, selector);
        expect = Expect.ANY;
      }
      default -> {
        mode = "valid";
        expect = Expect.VALID;
      }
    }
    return new Case("endpointgroups", mode, object("EndpointGroup", "epg", spec), expect);
  }

  /** A valid selector, matching the fixture endpoints half of the time. */
  private ObjectNode selector(boolean mayMatchFixtures) {
    ObjectNode s = JSON.createObjectNode();
    if (mayMatchFixtures && r.nextBoolean()) {
      s.putObject("matchLabels").put(MEMBER_KEY, MEMBER_VALUE);
      return s;
    }
    if (r.nextBoolean()) {
      ObjectNode labels = s.putObject("matchLabels");
      for (int i = r.nextInt(3); i >= 0; i--) {
        labels.put(label(), label());
      }
    }
    if (r.nextBoolean()) {
      ArrayNode expressions = s.putArray("matchExpressions");
      for (int i = r.nextInt(3); i >= 0; i--) {
        ObjectNode e = expressions.addObject().put("key", label());
        String op = pick(List.of("In", "NotIn", "Exists", "DoesNotExist"));
        e.put("operator", op);
        if (op.endsWith("In")) {
          ArrayNode values = e.putArray("values");
          for (int j = r.nextInt(3); j >= 0; j--) {
            values.add(label());
          }
        }
      }
    }
    return s;
  }

  private static ObjectNode firstExpression(ObjectNode spec, String selector) {
    ObjectNode s = (ObjectNode) spec.get(selector);
    ArrayNode expressions =
        s.has("matchExpressions") ? (ArrayNode) s.get("matchExpressions") : JSON.createArrayNode();
    ObjectNode first = JSON.createObjectNode();
    expressions.insert(0, first);
    s.set("matchExpressions", expressions);
    return first;
  }

  private void wildSelector(ObjectNode spec, String selector) {
    ObjectNode s = spec.putObject(selector);
    ObjectNode labels = s.putObject("matchLabels");
    for (int i = r.nextInt(3); i >= 0; i--) {
      labels.put(unicode(0, 80), unicode(0, 80));
    }
    ArrayNode expressions = s.putArray("matchExpressions");
    for (int i = r.nextInt(3); i >= 0; i--) {
      ObjectNode e = expressions.addObject();
      if (r.nextInt(4) > 0) {
        e.put("key", unicode(0, 40));
      }
      if (r.nextInt(4) > 0) {
        e.put(
            "operator",
            r.nextBoolean()
                ? pick(List.of("In", "NotIn", "Exists", "DoesNotExist"))
                : unicode(0, 12));
      }
      if (r.nextBoolean()) {
        ArrayNode values = e.putArray("values");
        for (int j = r.nextInt(3); j > 0; j--) {
          values.add(unicode(0, 30));
        }
      }
    }
    if (r.nextBoolean()) {
      spec.put("staleAfter", durationLike());
    }
  }

  // ---------------------------------------------------------------- PatchPolicy

  private static final List<String> CLASSIFICATIONS =
      List.of("Security", "Bugfix", "Enhancement", "FeatureUpdate", "Driver", "Kernel", "Other");
  private static final List<String> SEVERITIES =
      List.of("Critical", "High", "Medium", "Low", "Unspecified");
  private static final List<String> DEADLINES =
      List.of("knownExploited", "critical", "high", "medium", "low", "unspecified");

  public Case policy() {
    ObjectNode spec = JSON.createObjectNode();
    ArrayNode groups = spec.putArray("groups");
    sample(GROUPS, 1 + r.nextInt(GROUPS.size())).forEach(groups::add);
    if (r.nextBoolean()) {
      spec.putArray("windows").add(WINDOW);
    }
    if (r.nextBoolean()) {
      spec.put("mode", pick(List.of("Audit", "Enforce")));
    }
    if (r.nextBoolean()) {
      spec.put("reboot", pick(List.of("Always", "IfRequired", "Never")));
    }
    if (r.nextInt(3) > 0) {
      ObjectNode approval = spec.putObject("approval");
      ArrayNode rules = approval.putArray("rules");
      for (int i = r.nextInt(3); i >= 0; i--) {
        ObjectNode rule = rules.addObject();
        ArrayNode c = rule.putArray("classifications");
        sample(CLASSIFICATIONS, r.nextInt(3)).forEach(c::add);
        if (r.nextBoolean()) {
          rule.put("minSeverity", pick(SEVERITIES));
        }
        if (r.nextBoolean()) {
          rule.put("approveAfter", duration(r.nextInt(30 * 86_400)));
        }
        if (r.nextInt(4) == 0) {
          rule.put("approveUntil", futureDate().toString());
        }
      }
      if (r.nextBoolean()) {
        approval.putArray("reject").addObject().put("package", "linux-image-" + label());
      }
      if (r.nextBoolean()) {
        approval.putArray("approve").addObject().put("cve", "CVE-2024-" + (1000 + r.nextInt(9000)));
      }
      if (r.nextInt(4) == 0) {
        approval.put("mode", "Manual");
      }
    }
    if (r.nextBoolean()) {
      ObjectNode deadlines = spec.putObject("deadlines");
      for (String d : sample(DEADLINES, 1 + r.nextInt(DEADLINES.size()))) {
        deadlines.put(d, duration(3_600 + r.nextInt(180 * 86_400)));
      }
    }
    if (r.nextBoolean()) {
      ArrayNode triggers = spec.putObject("emergency").putArray("outsideWindows");
      sample(List.of("KnownExploited", "Critical", "High"), 1 + r.nextInt(3))
          .forEach(triggers::add);
    }
    if (r.nextInt(3) > 0) {
      ObjectNode rollout = spec.putObject("rollout");
      ArrayNode waves = rollout.putArray("waves");
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        ObjectNode w = waves.addObject().put("name", "wave-" + i);
        if (r.nextInt(3) == 0) {
          w.put("group", pick(GROUPS));
        } else {
          w.put("percent", 1 + r.nextInt(100));
        }
        if (r.nextBoolean()) {
          w.put("soak", duration(r.nextInt(3 * 86_400)));
        }
      }
      if (r.nextBoolean()) {
        if (r.nextBoolean()) {
          rollout.put("maxConcurrent", 1 + r.nextInt(1000));
        } else {
          rollout.put("maxConcurrent", (1 + r.nextInt(100)) + "%");
        }
      }
      if (r.nextBoolean()) {
        if (r.nextBoolean()) {
          rollout.put("haltOnFailures", r.nextInt(1000));
        } else {
          rollout.put("haltOnFailures", r.nextInt(101) + "%");
        }
      }
      if (r.nextInt(4) == 0) {
        rollout.put("paused", r.nextBoolean());
      }
    }
    if (r.nextInt(4) == 0) {
      spec.putObject("history").put("keep", 1 + r.nextInt(1000));
    }
    if (r.nextInt(5) == 0) {
      spec.putObject("knownExploitedCatalog")
          .put("configMap", "kev-" + letters(1, 10).toLowerCase());
    }
    if (r.nextInt(5) == 0) {
      spec.putObject("nodes").putObject("target").put("kernelVersion", "6." + r.nextInt(20) + ".0");
    }
    return policyMutation(spec);
  }

  private Case policyMutation(ObjectNode spec) {
    Expect expect;
    String mode;
    switch (r.nextInt(16)) {
      case 0 -> {
        mode = "missing-group";
        ((ArrayNode) spec.get("groups")).add("no-such-group-" + r.nextInt(1000));
        int at = spec.get("groups").size() - 1;
        expect = Expect.invalid("GroupNotFound", "spec.groups[" + at + "]");
      }
      case 1 -> {
        mode = "missing-window";
        spec.putArray("windows").add("no-such-window-" + r.nextInt(1000));
        expect = Expect.invalid("WindowNotFound", "spec.windows[0]");
      }
      case 2 -> {
        mode = "missing-wave-group";
        ObjectNode rollout = spec.putObject("rollout");
        rollout
            .putArray("waves")
            .addObject()
            .put("name", "canary")
            .put("group", "gone-" + r.nextInt(99));
        expect = Expect.invalid("GroupNotFound", "spec.rollout.waves[0].group");
      }
      case 3 -> {
        mode = "approve-until-not-a-date";
        ObjectNode approval = spec.putObject("approval");
        approval.putArray("rules").addObject().put("approveUntil", impossibleDate());
        expect = Expect.invalid("InvalidApproval", "spec.approval.rules[0].approveUntil");
      }
      case 4 -> {
        mode = "deadline-huge";
        String field = pick(DEADLINES);
        spec.putObject("deadlines").put(field, digits(12, 15) + pick(List.of("d", "h")));
        expect = Expect.invalid("InvalidDuration", "spec.deadlines." + field);
      }
      case 5 -> {
        mode = "approve-after-huge";
        ObjectNode approval = spec.putObject("approval");
        approval.putArray("rules").addObject().put("approveAfter", digits(12, 15) + "d");
        expect = Expect.invalid("InvalidDuration", "spec.approval.rules[0].approveAfter");
      }
      case 6 -> {
        mode = "soak-huge";
        ObjectNode rollout = spec.putObject("rollout");
        ArrayNode waves = rollout.putArray("waves");
        waves.addObject().put("name", "pilot").put("percent", 10).put("soak", digits(12, 15) + "d");
        waves.addObject().put("name", "everyone").put("percent", 100);
        expect = Expect.invalid("InvalidDuration", "spec.rollout.waves[0].soak");
      }
      case 7 -> {
        mode = "node-patching-not-allowed";
        spec.putObject("nodes")
            .putObject("patch")
            .put("image", "registry.example/node-patch@sha256:" + "a".repeat(64));
        expect = Expect.invalid("NodePatchingNotAllowed", "spec.nodes.patch");
      }
      case 8 -> {
        mode = "node-timeout-huge";
        spec.putObject("nodes").put("readyTimeout", digits(12, 15) + "h");
        expect = Expect.invalid("InvalidDuration", "spec.nodes.readyTimeout");
      }
      case 9, 10, 11 -> {
        mode = "wild";
        wildPolicy(spec);
        expect = Expect.ANY;
      }
      default -> {
        mode = "valid";
        expect = Expect.VALID;
      }
    }
    return new Case("patchpolicies", mode, object("PatchPolicy", "pp", spec), expect);
  }

  private void wildPolicy(ObjectNode spec) {
    int fields = 1 + r.nextInt(3);
    for (int i = 0; i < fields; i++) {
      switch (r.nextInt(6)) {
        case 0 -> {
          ObjectNode deadlines = spec.putObject("deadlines");
          deadlines.put(pick(DEADLINES), durationLike());
        }
        case 1 -> {
          ObjectNode approval = spec.putObject("approval");
          ObjectNode rule = approval.putArray("rules").addObject();
          rule.put("approveAfter", durationLike());
          if (r.nextBoolean()) {
            rule.put("approveUntil", dateLike());
          }
          ObjectNode m = approval.putArray(r.nextBoolean() ? "approve" : "reject").addObject();
          switch (r.nextInt(3)) {
            case 0 -> m.put("id", unicode(1, 256));
            case 1 -> {
              m.put("package", unicode(1, 256));
              if (r.nextBoolean()) {
                m.put("version", unicode(1, 256));
              }
            }
            default -> m.put("cve", "CVE-" + digits(4, 4) + "-" + digits(4, 12));
          }
          ArrayNode runs = approval.putArray("approvedRuns");
          runs.add(unicode(0, 300));
        }
        case 2 -> {
          ObjectNode rollout = spec.putObject("rollout");
          ArrayNode waves = rollout.putArray("waves");
          waves
              .addObject()
              .put("name", "w" + digits(1, 10))
              .put("percent", 1 + r.nextInt(100))
              .put("soak", durationLike());
          rollout.put("maxConcurrent", r.nextBoolean() ? 1 + r.nextInt(Integer.MAX_VALUE) : 1);
          rollout.put(
              "haltOnFailures", r.nextBoolean() ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(101));
          rollout.put("resumeToken", unicode(0, 63));
        }
        case 3 -> {
          ObjectNode target = spec.putObject("nodes").putObject("target");
          target.put("kernelVersion", unicode(1, 128));
          if (r.nextBoolean()) {
            target.put("osImagePrefix", unicode(1, 256));
          }
          ((ObjectNode) spec.get("nodes")).put("readyTimeout", durationLike());
        }
        case 4 ->
            spec.putObject("knownExploitedCatalog")
                .put("configMap", "c" + letters(0, 20).toLowerCase())
                .put("key", unicode(1, 253));
        default -> {
          ObjectNode drain = spec.putObject("nodes").putObject("drain");
          drain.put("timeout", durationLike());
          drain.put("onTimeout", pick(List.of("Fail", "Force", "Skip")));
        }
      }
    }
  }

  // ---------------------------------------------------------------- ManagedEndpoint, PatchRun

  /**
   * A ManagedEndpoint as a user could write it (labels, spec; an agent-like status half of the
   * time): must end Ready=True SpecValid when it carries a credential, Ready=False NotEnrolled
   * otherwise.
   */
  public Case endpoint(String lastSeen) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("machineId", unicode(1, 128));
    if (r.nextBoolean()) {
      spec.put("displayName", unicode(0, 253));
    }
    if (r.nextBoolean()) {
      ObjectNode a = spec.putObject("assignment");
      a.put("run", unicode(1, 253));
      a.put("installUntil", r.nextBoolean() ? dateOrTimestampLike() : unicode(0, 40));
      if (r.nextBoolean()) {
        a.put("assignedAt", unicode(0, 40));
      }
      if (r.nextBoolean()) {
        a.put("policy", r.nextBoolean() ? "pp-" + r.nextInt(50) : unicode(0, 253));
      }
      a.put("reboot", pick(List.of("Always", "IfRequired", "Never")));
      ArrayNode updates = a.putArray("updates");
      for (int i = r.nextInt(3); i >= 0; i--) {
        updates.addObject().put("id", unicode(1, 256)).put("package", unicode(0, 256));
      }
    }
    ObjectNode object = object("ManagedEndpoint", "mep", spec);
    if (r.nextBoolean()) {
      ((ObjectNode) object.get("metadata")).putObject("labels").put(MEMBER_KEY, MEMBER_VALUE);
    }
    boolean enrolled = r.nextBoolean();
    if (enrolled) {
      ObjectNode status = object.putObject("status");
      status.put("lastSeen", lastSeen);
      status.putObject("credential").put("sha256", "0".repeat(64)).put("issuedAt", lastSeen);
    }
    return new Case(
        "managedendpoints",
        enrolled ? "enrolled" : "not-enrolled",
        object,
        enrolled ? Expect.VALID : Expect.invalid("NotEnrolled", null));
  }

  /**
   * A PatchRun as a user could write it by hand, claiming to belong to {@code policy}: the schema
   * admits free-form cutoffs and any int-or-string limit. The policy must stay Ready regardless.
   */
  public Case run(String policy) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("policy", policy);
    ObjectNode baseline = spec.putObject("baseline");
    baseline.put("cutoff", r.nextBoolean() ? dateOrTimestampLike() : unicode(0, 40));
    if (r.nextBoolean()) {
      ArrayNode updates = baseline.putArray("updates");
      for (int i = r.nextInt(3); i >= 0; i--) {
        ObjectNode u = updates.addObject().put("id", unicode(0, 256));
        if (r.nextBoolean()) {
          u.put("severity", pick(SEVERITIES));
        }
        if (r.nextBoolean()) {
          u.put("classification", pick(CLASSIFICATIONS));
        }
      }
      baseline.put("updateCount", r.nextInt(Integer.MAX_VALUE) - r.nextInt(Integer.MAX_VALUE));
    }
    if (r.nextBoolean()) {
      ArrayNode waves = spec.putArray("waves");
      for (int i = r.nextInt(3); i >= 0; i--) {
        ObjectNode w = waves.addObject().put("name", "w" + i);
        if (r.nextBoolean()) {
          w.put("percent", 1 + r.nextInt(100));
        } else {
          w.put("group", r.nextBoolean() ? pick(GROUPS) : unicode(1, 253));
        }
        if (r.nextBoolean()) {
          w.put("soak", durationLike());
        }
      }
    }
    if (r.nextBoolean()) {
      spec.set("maxConcurrent", intOrString());
    }
    if (r.nextBoolean()) {
      spec.set("haltOnFailures", intOrString());
    }
    if (r.nextBoolean()) {
      spec.put("dryRun", r.nextBoolean());
    }
    if (r.nextBoolean()) {
      spec.put("policyGeneration", r.nextLong());
    }
    String mode = "hand-written";
    if (r.nextInt(3) == 0) {
      // The schema admits any digits: more than an Instant can add.
      mode = "soak-huge";
      spec.putArray("waves")
          .addObject()
          .put("name", "w0")
          .put("percent", 1 + r.nextInt(100))
          .put("soak", digits(12, 15) + pick(List.of("d", "h")));
      spec.put("dryRun", false);
    }
    ObjectNode object = object("PatchRun", policy + "-run", spec);
    ((ObjectNode) object.get("metadata")).putObject("labels").put("patchwarden.io/policy", policy);
    return new Case("patchruns", mode, object, Expect.ANY);
  }

  // ---------------------------------------------------------------- values

  private ObjectNode object(String kind, String prefix, ObjectNode spec) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", "patchwarden.io/v1alpha1").put("kind", kind);
    o.putObject("metadata").put("name", prefix + "-" + serial++);
    o.set("spec", spec);
    return o;
  }

  private <T> T pick(List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  private <T> List<T> sample(List<T> values, int n) {
    List<T> copy = new ArrayList<>(values);
    Collections.shuffle(copy, r);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  /** A valid duration of {@code seconds}, in one of the shapes people write. */
  private String duration(int seconds) {
    return switch (r.nextInt(3)) {
      case 0 -> seconds + "s";
      case 1 -> seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
      default -> {
        StringBuilder b = new StringBuilder();
        int d = seconds / 86_400;
        int h = seconds % 86_400 / 3_600;
        int m = seconds % 3_600 / 60;
        int s = seconds % 60;
        if (d > 0) b.append(d).append('d');
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (s > 0 || b.length() == 0) b.append(s).append('s');
        yield b.length() < 2 ? "0d" + b : b.toString();
      }
    };
  }

  /** Any string the duration pattern and length (2..16) admit. */
  private String durationLike() {
    StringBuilder b = new StringBuilder();
    for (String unit : List.of("d", "h", "m", "s")) {
      if (r.nextInt(3) == 0 || (unit.equals("s") && b.length() == 0)) {
        b.append(digits(1, r.nextInt(4) == 0 ? 15 : 3)).append(unit);
      }
    }
    String s = b.toString();
    return s.length() > 16 ? s.substring(s.length() - 16).replaceFirst("^[dhms]+", "1") : s;
  }

  private JsonNode intOrString() {
    return r.nextBoolean()
        ? JSON.getNodeFactory().numberNode(r.nextInt())
        : JSON.getNodeFactory().textNode(unicode(0, 10));
  }

  private String digits(int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + r.nextInt(10)));
    }
    return b.toString();
  }

  private String letters(int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ((r.nextBoolean() ? 'a' : 'A') + r.nextInt(26)));
    }
    return b.toString();
  }

  /** A valid label key or value. */
  private String label() {
    return letters(1, 1).toLowerCase() + letters(0, 10).toLowerCase() + digits(0, 2);
  }

  private static final String SYMBOLS = " -_./:@%*'\"\\{}[]$";

  /** Letters, digits, symbols, accents, CJK, emoji, control and bidi characters. */
  private String unicode(int min, int max) {
    int n = min + r.nextInt(Math.min(max, min + 40) - min + 1);
    StringBuilder b = new StringBuilder();
    while (b.length() < n) {
      int cp =
          switch (r.nextInt(8)) {
            case 0 -> 'a' + r.nextInt(26);
            case 1 -> '0' + r.nextInt(10);
            case 2 -> SYMBOLS.charAt(r.nextInt(SYMBOLS.length()));
            case 3 -> 0xC0 + r.nextInt(0x100);
            case 4 -> 0x4E00 + r.nextInt(0x500);
            case 5 -> 0x1F600 + r.nextInt(0x50);
            case 6 -> r.nextInt(0x20);
            default -> pick(List.of(0x200B, 0x202E, 0xFEFF, 0x2028));
          };
      if (b.length() + Character.charCount(cp) > max) {
        break;
      }
      b.appendCodePoint(cp);
    }
    return b.length() < min ? b + "x".repeat(min - b.length()) : b.toString();
  }

  private String zoneLike() {
    StringBuilder b = new StringBuilder(letters(1, 1));
    b.append(r.nextBoolean() ? letters(0, 12) : "+" + digits(1, 3));
    if (r.nextBoolean()) {
      b.append('/').append(letters(1, 12));
    }
    return b.toString();
  }

  private String cronLike() {
    List<String> fields = new ArrayList<>();
    int[] max = {59, 23, 31, 12, 7};
    for (int m : max) {
      fields.add(
          switch (r.nextInt(6)) {
            case 0 -> "*";
            case 1 -> "*/" + (1 + r.nextInt(m + 10));
            case 2 -> Integer.toString(r.nextInt(m + 5));
            case 3 -> r.nextInt(m + 1) + "-" + r.nextInt(m + 3);
            case 4 -> r.nextInt(m + 1) + "," + r.nextInt(m + 1);
            default -> letters(1, 3);
          });
    }
    String cron = String.join(" ", fields);
    return cron.length() < 9 ? cron + " " : cron;
  }

  /** Any string the date pattern admits: real, impossible (02-30) and far-off dates. */
  private String dateLike() {
    return String.format("%04d-%02d-%02d", r.nextInt(10_000), 1 + r.nextInt(12), 1 + r.nextInt(31));
  }

  private String dateOrTimestampLike() {
    if (r.nextBoolean()) {
      return dateLike();
    }
    String offset =
        r.nextBoolean()
            ? "Z"
            : String.format(
                "%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(24), r.nextInt(60));
    String fraction = r.nextInt(4) == 0 ? "." + digits(1, 9) : "";
    return String.format(
        "%sT%02d:%02d:%02d%s%s",
        dateLike(), r.nextInt(24), r.nextInt(60), r.nextInt(60), fraction, offset);
  }

  private LocalDate futureDate() {
    return LocalDate.of(FUTURE_FROM, 1, 1).plusDays(r.nextInt(7 * 365));
  }

  private LocalDate pastDate() {
    return LocalDate.of(PAST_UNTIL, 12, 31).minusDays(r.nextInt(30 * 365));
  }

  /** Matches the date pattern, is no calendar date. */
  private String impossibleDate() {
    int year = FUTURE_FROM + r.nextInt(10);
    return pick(
        List.of(
            year + "-02-30",
            year + "-02-31",
            year + "-04-31",
            year + "-06-31",
            year + "-09-31",
            year + "-11-31",
            (year % 4 == 0 ? year + 1 : year) + "-02-29"));
  }

  // ---------------------------------------------------------------- the oracle

  /** The reasons a spec problem of each kind may carry (never the generic MissingSpec here). */
  public static final Map<String, Set<String>> REASONS =
      Map.of(
          "maintenancewindows",
          Set.of(
              "InvalidTimeZone",
              "InvalidCron",
              "InvalidDuration",
              "InvalidDate",
              "InvalidRecurrence",
              "NeverOpens"),
          "endpointgroups",
          Set.of("InvalidSelector", "InvalidDuration"),
          "patchpolicies",
          Set.of(
              "InvalidReference",
              "InvalidRollout",
              "InvalidApproval",
              "InvalidNodePatching",
              "NodePatchingNotAllowed",
              "GroupNotFound",
              "WindowNotFound",
              "InvalidDuration"),
          "managedendpoints",
          Set.of("NotEnrolled"));

  /**
   * Checks a case's conditions after reconcile and names the outcome ({@code Ready=True} or {@code
   * Ready=False/<reason>}).
   *
   * @throws AssertionError naming the case when Ready is missing, stale, generic or unexpected
   */
  public static String verdict(Case c, List<Condition> conditions, long generation) {
    Condition ready = find(conditions, "Ready");
    if (ready == null) {
      throw new AssertionError("no Ready condition for " + c + "; conditions " + conditions);
    }
    String reason = ready.getReason();
    String outcome = "Ready=" + (ready.getStatus() == ConditionStatus.TRUE) + "/" + reason;
    check(c, outcome, ready.getObservedGeneration() == generation, "observedGeneration");
    check(c, outcome, reason != null && reason.matches("^[A-Z][a-z]+([A-Z][a-z]+)+$"), "CamelCase");
    check(c, outcome, isReason(reason), "a reason of the Reason enum");
    Expect e = c.expect();
    if (Boolean.TRUE.equals(e.ready())) {
      check(c, outcome, ready.getStatus() == ConditionStatus.TRUE, "Ready=True");
      check(c, outcome, reason.equals(e.reason()), e.reason());
    } else if (Boolean.FALSE.equals(e.ready())) {
      check(c, outcome, ready.getStatus() == ConditionStatus.FALSE, "Ready=False");
      check(c, outcome, reason.equals(e.reason()), "reason " + e.reason());
      check(
          c,
          outcome + " " + ready.getMessage(),
          e.field() == null || ready.getMessage().contains(e.field() + ":"),
          "a message naming " + e.field());
    }
    if (ready.getStatus() == ConditionStatus.FALSE) {
      check(c, outcome, REASONS.get(c.kind()).contains(reason), "a reason of " + c.kind());
      if (!"NotEnrolled".equals(reason)) {
        String field = ready.getMessage().split(": ", 2)[0];
        Set<String> paths = fieldPaths(c.spec(), "spec");
        String parent = field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : field;
        check(
            c,
            outcome + " " + ready.getMessage(),
            paths.contains(field) || paths.contains(parent),
            "a message that starts with a field of the spec");
        Condition stalled = find(conditions, "Stalled");
        check(
            c,
            outcome,
            stalled != null
                && stalled.getStatus() == ConditionStatus.TRUE
                && reason.equals(stalled.getReason()),
            "Stalled=True with the same reason");
      }
    }
    return outcome;
  }

  private static boolean isReason(String reason) {
    try {
      Reason.valueOf(reason);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static void check(Case c, String outcome, boolean ok, String expected) {
    if (!ok) {
      throw new AssertionError("expected " + expected + ", got " + outcome + " for " + c);
    }
  }

  private static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
  }

  /** The case as a resource of its kind, with a namespace and generation 1 (as when created). */
  public static <T extends HasMetadata> T resource(Case c, Class<T> type, String namespace) {
    try {
      T object = Serialization.jsonMapper().treeToValue(c.object(), type);
      object.getMetadata().setNamespace(namespace);
      object.getMetadata().setGeneration(1L);
      object.getMetadata().setUid(java.util.UUID.nameUUIDFromBytes(c.name().getBytes()).toString());
      return object;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("the model cannot read " + c, e);
    }
  }

  /** Counts outcomes per key, for the report a fuzz test prints. */
  public static final class Tally {
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> counts =
        new java.util.concurrent.ConcurrentSkipListMap<>();

    public void add(String key) {
      counts
          .computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
    }

    public int get(String key) {
      var n = counts.get(key);
      return n == null ? 0 : n.get();
    }

    public int total(String prefix) {
      return counts.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .mapToInt(e -> e.getValue().get())
          .sum();
    }

    public Set<String> keys() {
      return counts.keySet();
    }

    /**
     * Checks that every mode ran at least {@code atLeast} times: keys are {@code [<prefix> ]<mode>
     * -> <outcome>}.
     *
     * @throws AssertionError naming the modes that ran less often
     */
    public void requireEach(List<String> modes, int atLeast) {
      Map<String, Integer> tooFew = new java.util.TreeMap<>();
      for (String mode : modes) {
        int n =
            counts.entrySet().stream()
                .filter(
                    e ->
                        e.getKey().startsWith(mode + " -> ")
                            || e.getKey().contains(" " + mode + " -> "))
                .mapToInt(e -> e.getValue().get())
                .sum();
        if (n < atLeast) {
          tooFew.put(mode, n);
        }
      }
      if (!tooFew.isEmpty()) {
        throw new AssertionError("modes run fewer than " + atLeast + " times: " + tooFew);
      }
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      counts.forEach((k, v) -> b.append(String.format("  %-70s %6d%n", k, v.get())));
      return b.toString();
    }
  }

  /** Every distinct field path in a spec, for checking that a message names a real field. */
  public static Set<String> fieldPaths(JsonNode node, String prefix) {
    Set<String> paths = new LinkedHashSet<>();
    paths.add(prefix);
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(f -> paths.addAll(fieldPaths(f.getValue(), prefix + "." + f.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        paths.addAll(fieldPaths(node.get(i), prefix + "[" + i + "]"));
      }
    }
    return paths;
  }
}
