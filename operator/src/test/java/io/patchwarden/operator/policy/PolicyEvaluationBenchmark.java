package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Classification;
import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.Inventory;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.ManagedEndpointStatus;
import io.patchwarden.api.endpoint.PendingUpdate;
import io.patchwarden.api.policy.Approval;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.PatchMatcher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A measurement, not a test: one evaluation pass of a policy over 50,000 targets with 40 pending
 * updates each (issue 6's target: under 0.5 s on 2 cores). Run with {@code make bench-policy}.
 *
 * <p>Three fleets: updates with release dates drawn from a shared catalogue of 2,000 (a fleet
 * shares most of its updates); apt-style updates without release dates whose first sighting differs
 * per endpoint (nothing is shared: the worst case); and the full pass from cached ManagedEndpoint
 * objects, cold (every endpoint converted) and warm (unchanged resourceVersions).
 */
public final class PolicyEvaluationBenchmark {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private PolicyEvaluationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int perTarget = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Factory factory = now -> new ComplianceEvaluator(rules(), deadlines(), catalogue(), now);
    String size = String.format("%,d targets × %d updates", targets, perTarget);
    System.out.printf(
        "Policy evaluation: %,d targets x %d pending updates, %d processors, java %s%n",
        targets, perTarget, Runtime.getRuntime().availableProcessors(), Runtime.version());

    List<TargetFacts> shared = facts(targets, perTarget, true);
    report("core, shared updates (release dates)", size, rounds, () -> pass(factory, shared));
    List<TargetFacts> distinct = facts(targets, perTarget, false);
    report(
        "core, per-endpoint updates (apt, firstSeen)", size, rounds, () -> pass(factory, distinct));

    List<ManagedEndpoint> endpoints = endpoints(targets, perTarget);
    report(
        "full pass from ManagedEndpoints, cold cache",
        size,
        rounds,
        () -> {
          Targets conversion = new Targets();
          return pass(factory, endpoints, conversion);
        });
    Targets warm = new Targets();
    pass(factory, endpoints, warm);
    report(
        "full pass from ManagedEndpoints, warm cache",
        size,
        rounds,
        () -> pass(factory, endpoints, warm));
  }

  /** Rules and catalogue are compiled per pass, as the reconciler does. */
  private interface Factory {
    ComplianceEvaluator at(Instant now);
  }

  private interface Pass {
    ComplianceSummary run();
  }

  private static void report(String name, String size, int rounds, Pass pass) {
    for (int i = 0; i < 3; i++) {
      pass.run(); // warm-up: JIT
    }
    long[] millis = new long[rounds];
    ComplianceSummary last = null;
    for (int i = 0; i < rounds; i++) {
      long began = System.nanoTime();
      last = pass.run();
      millis[i] = (System.nanoTime() - began) / 1_000_000;
    }
    Arrays.sort(millis);
    System.out.printf(
        "%-46s median %5d ms  min %5d ms  max %5d ms   (%s)%n",
        name, millis[rounds / 2], millis[0], millis[rounds - 1], last.states());
    io.patchwarden.operator.bench.BenchResult.atMost(
            "policy-pass",
            name + ", " + size,
            millis[rounds / 2],
            "ms",
            500,
            String.format(
                "median of %d passes after 3 warm-up; min %d ms, max %d ms; %s",
                rounds, millis[0], millis[rounds - 1], jvm()))
        .record();
  }

  private static String jvm() {
    return "heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MiB, "
        + Runtime.getRuntime().availableProcessors()
        + " processors";
  }

  private static ComplianceSummary pass(Factory factory, List<TargetFacts> targets) {
    ComplianceEvaluator evaluator = factory.at(NOW);
    return ComplianceSummary.of(evaluator.evaluateAll(targets), NOW);
  }

  private static ComplianceSummary pass(
      Factory factory, List<ManagedEndpoint> endpoints, Targets conversion) {
    List<TargetFacts> facts = new ArrayList<>(endpoints.size());
    for (ManagedEndpoint e : endpoints) {
      facts.add(conversion.endpoint(e, Duration.ofDays(7)));
    }
    return pass(factory, facts);
  }

  private static List<TargetFacts> facts(int targets, int perTarget, boolean shared) {
    Random random = new Random(42);
    List<Update> catalogue = catalogueOfUpdates(random);
    List<TargetFacts> facts = new ArrayList<>(targets);
    for (int t = 0; t < targets; t++) {
      List<Update> updates = new ArrayList<>(perTarget);
      for (int i = 0; i < perTarget; i++) {
        Update u = catalogue.get(random.nextInt(catalogue.size()));
        if (!shared) {
          Instant firstSeen = NOW.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 60)));
          u =
              new Update(
                  u.id(),
                  u.packageName(),
                  u.version(),
                  u.classification(),
                  u.severity(),
                  u.cves(),
                  null,
                  firstSeen);
        }
        updates.add(u);
      }
      facts.add(
          new TargetFacts(
              "t" + t,
              true,
              updates,
              t % 10 == 0,
              NOW.minusSeconds(t % 3600),
              Duration.ofDays(7),
              Set.of(),
              null));
    }
    return facts;
  }

  private static List<Update> catalogueOfUpdates(Random random) {
    List<Update> updates = new ArrayList<>();
    Severity[] severities = Severity.values();
    Classification[] classifications = Classification.values();
    for (int i = 0; i < 2_000; i++) {
      String pkg = "pkg" + (i % 700);
      List<String> cves =
          i % 9 == 0
              ? List.of("CVE-2024-" + (1000 + i), "CVE-2024-1086")
              : List.of("CVE-2025-" + (1000 + i));
      updates.add(
          new Update(
              pkg + "=" + i,
              pkg,
              String.valueOf(i),
              classifications[random.nextInt(classifications.length)],
              severities[random.nextInt(severities.length)],
              cves,
              NOW.minus(Duration.ofDays(random.nextInt(120))),
              null));
    }
    return updates;
  }

  private static List<ManagedEndpoint> endpoints(int targets, int perTarget) {
    Random random = new Random(7);
    List<ManagedEndpoint> endpoints = new ArrayList<>(targets);
    for (int t = 0; t < targets; t++) {
      ManagedEndpoint e = new ManagedEndpoint();
      e.getMetadata().setName("pc-" + t);
      e.getMetadata().setNamespace("bench");
      e.getMetadata().setUid("uid-" + t);
      e.getMetadata().setResourceVersion("1");
      ManagedEndpointStatus s = new ManagedEndpointStatus();
      s.setLastSeen(NOW.minusSeconds(t % 3600).toString());
      Inventory inventory = new Inventory();
      List<PendingUpdate> pending = new ArrayList<>(perTarget);
      for (int i = 0; i < perTarget; i++) {
        int n = random.nextInt(2_000);
        PendingUpdate u = new PendingUpdate();
        u.setId("pkg" + (n % 700) + "=" + n);
        u.setPackageName("pkg" + (n % 700));
        u.setVersion(String.valueOf(n));
        u.setClassification(Classification.values()[n % Classification.values().length]);
        u.setSeverity(Severity.values()[n % Severity.values().length]);
        u.setCves(List.of("CVE-2025-" + (1000 + n)));
        u.setReleaseDate(LocalDate.of(2026, 8, 1).plusDays(n % 110).toString());
        pending.add(u);
      }
      inventory.setPendingUpdates(pending);
      s.setInventory(inventory);
      e.setStatus(s);
      endpoints.add(e);
    }
    return endpoints;
  }

  private static KnownExploitedCatalog kev;

  private static ApprovalRules rules() {
    ApprovalRule security = new ApprovalRule();
    security.setClassifications(List.of(Classification.Security));
    security.setApproveAfter("2d");
    ApprovalRule critical = new ApprovalRule();
    critical.setMinSeverity(Severity.High);
    critical.setComplianceSeverity(Severity.Critical);
    ApprovalRule bugfix = new ApprovalRule();
    bugfix.setClassifications(List.of(Classification.Bugfix, Classification.Kernel));
    bugfix.setApproveAfter("14d");
    PatchMatcher kernel = new PatchMatcher();
    kernel.setPackageName("pkg1*");
    PatchMatcher cve = new PatchMatcher();
    cve.setCve("CVE-2024-3094");
    Approval approval = new Approval();
    approval.setRules(List.of(security, critical, bugfix));
    approval.setReject(List.of(kernel, cve));
    return ApprovalRules.from(approval);
  }

  private static DeadlineRules deadlines() {
    return DeadlineRules.from(PolicyFixtures.deadlines("2d", "7d", "14d", "30d", "90d"));
  }

  private static KnownExploitedCatalog catalogue() {
    if (kev != null) {
      return kev;
    }
    try (InputStream in =
        PolicyEvaluationBenchmark.class.getResourceAsStream(
            "/kev/known_exploited_vulnerabilities.json")) {
      kev = KnownExploitedCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return kev;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
