package io.patchwarden.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo tenant, built from {@code examples/small-office.yaml} and {@code
 * examples/cluster-nodes.yaml} with what a demo of a few minutes needs instead of weeks: windows
 * that are open now or open in a moment, soaks of seconds, a pilot wave, labels the simulated fleet
 * carries, and node groups that only ever select the demo's simulated nodes (so a demo against a
 * real cluster never cordons a real node). Plain JSON trees, no cluster: the rewrite is tested on
 * its own.
 */
final class DemoTenant {
  static final String OFFICE = "demo-office";
  static final String NODES = "demo-nodes";

  /** Only simulated nodes carry this label; the demo's node groups require it. */
  static final String DEMO_NODE_LABEL = "patchwarden.io/demo-node";

  static final String LAPTOP_POLICY = "laptops-security";
  static final String SERVER_POLICY = "servers-monthly";
  static final String NODE_POLICY = "nodes-monthly";

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private DemoTenant() {}

  /**
   * The objects to apply, in order (windows and groups before policies).
   *
   * @param examples the examples/ directory
   * @param now the demo's start
   * @param secondWindowIn when the servers' window opens
   * @param soak the soak between waves
   */
  static List<ObjectNode> build(
      Path examples, Instant now, Duration secondWindowIn, Duration soak) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode o : read(examples.resolve("small-office.yaml"))) {
      if (isPatchwarden(o)) {
        out.add(office(o, now, secondWindowIn, soak));
      }
    }
    for (ObjectNode o : read(examples.resolve("cluster-nodes.yaml"))) {
      if (isPatchwarden(o)) {
        out.add(nodes(o, now, soak));
      }
    }
    return out;
  }

  /** The YAML of a list of objects, for {@code client.load}. */
  static String yaml(List<ObjectNode> objects) {
    StringBuilder out = new StringBuilder();
    for (ObjectNode o : objects) {
      try {
        out.append(YAML.writeValueAsString(o));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  private static ObjectNode office(
      ObjectNode o, Instant now, Duration secondWindowIn, Duration soak) {
    o.with("metadata").put("namespace", OFFICE);
    String name = name(o);
    ObjectNode spec = o.with("spec");
    switch (kind(o) + "/" + name) {
      case "MaintenanceWindow/weekday-evenings" ->
          once(o, now.minus(Duration.ofMinutes(1)), "open now");
      case "MaintenanceWindow/after-patch-tuesday" ->
          once(
              o,
              secondWindowIn.isZero()
                  ? now.minus(Duration.ofMinutes(1))
                  : now.plus(secondWindowIn).plus(Duration.ofSeconds(59)),
              "opens shortly");
      case "EndpointGroup/it-laptops", "EndpointGroup/laptops" ->
          // Short, so the endpoints that go silent show up as stale within the demo.
          spec.put("staleAfter", "90s");
      case "PatchPolicy/" + LAPTOP_POLICY -> {
        ArrayNode waves = spec.with("rollout").putArray("waves");
        waves.addObject().put("name", "canary").put("group", "it-laptops").put("soak", soak(soak));
        waves.addObject().put("name", "pilot").put("percent", 10).put("soak", soak(soak));
        waves.addObject().put("name", "everyone").put("percent", 100);
        spec.with("rollout").put("maxConcurrent", "50%").put("haltOnFailures", "20%");
      }
      case "PatchPolicy/" + SERVER_POLICY -> {
        // The example approves two hand-picked updates that the simulated servers may not lack;
        // a Security rule gives every server something to install. The run, being Manual,
        // still waits until its name is in approvedRuns.
        ObjectNode approval = spec.with("approval");
        approval.remove("approve");
        approval.putArray("rules").addObject().putArray("classifications").add("Security");
        spec.with("rollout").put("maxConcurrent", "50%").put("haltOnFailures", "20%");
      }
      default -> {}
    }
    return o;
  }

  private static ObjectNode nodes(ObjectNode o, Instant now, Duration soak) {
    o.with("metadata").put("namespace", NODES);
    ObjectNode spec = o.with("spec");
    switch (kind(o)) {
      case "MaintenanceWindow" -> once(o, now.minus(Duration.ofMinutes(1)), "open now");
      case "EndpointGroup" ->
          spec.with("nodeSelector").with("matchLabels").put(DEMO_NODE_LABEL, "true");
      case "PatchPolicy" -> {
        for (JsonNode wave : spec.with("rollout").withArray("waves")) {
          if (wave.has("soak")) {
            ((ObjectNode) wave).put("soak", soak(soak));
          }
        }
      }
      default -> {}
    }
    return o;
  }

  /** A one-off window of two hours from {@code from} (rounded down to the minute), in UTC. */
  private static void once(ObjectNode window, Instant from, String what) {
    LocalDateTime start =
        LocalDateTime.ofInstant(from.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
    ObjectNode spec = window.putObject("spec");
    spec.put("timeZone", "UTC");
    spec.putObject("recurrence").put("once", start.toLocalDate().toString());
    spec.put("start", start.format(HH_MM));
    spec.put("duration", "2h");
    window
        .with("metadata")
        .with("annotations")
        .put("patchwarden.io/demo", what + " (the example's schedule is replaced for the demo)");
  }

  private static String soak(Duration soak) {
    return soak.toSeconds() + "s";
  }

  private static boolean isPatchwarden(JsonNode o) {
    return o.path("apiVersion").asText().startsWith("patchwarden.io/");
  }

  private static String kind(JsonNode o) {
    return o.path("kind").asText();
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  private static List<ObjectNode> read(Path file) {
    try (var parser = new YAMLFactory().createParser(Files.readString(file))) {
      List<ObjectNode> out = new ArrayList<>();
      var it = YAML.readValues(parser, ObjectNode.class);
      while (it.hasNext()) {
        ObjectNode o = it.next();
        if (o != null && !o.isEmpty()) {
          out.add(o);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
