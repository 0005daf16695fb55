package io.patchwarden.operator.report;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.patchwarden.api.endpoint.AssignmentResult;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.UpdateResult;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.node.NodeAnnotations;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.TargetKind;
import io.patchwarden.operator.inventory.Selector;
import io.patchwarden.operator.inventory.Selectors;
import io.patchwarden.operator.inventory.Staleness;
import io.patchwarden.operator.node.NodePatcher;
import io.patchwarden.operator.node.NodeRecord;
import io.patchwarden.operator.policy.PolicyJudge;
import io.patchwarden.operator.policy.TargetEvaluation;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads what the report lists straight from the API — paginated, so 50,000 endpoints are never in
 * memory at once — and judges every target with the same core as a policy pass ({@link
 * PolicyJudge}). Each namespace is read twice: once for its totals (the summary comes first on the
 * page), once for its rows. Served by every replica, leader or not: it needs no controller cache.
 */
final class ReportSource {
  static final long PAGE = 500;

  private final KubernetesClient client;
  private final Clock clock;

  ReportSource(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** One policy of a namespace: who it targets and how it judges them. */
  private record Scope(
      PatchPolicy policy, PolicyJudge judge, List<GroupTargets> groups, String lastRun) {}

  /** What one of the policy's groups selects, and how soon its members go stale. */
  private record GroupTargets(Selector endpoints, Selector nodes, Duration staleAfter) {}

  /**
   * @param mayRead whether the caller may read a namespace's report
   */
  void write(ReportQuery query, Predicate<String> mayRead, ReportWriter out) throws IOException {
    Instant now = clock.instant();
    out.begin(now, query);
    for (String namespace : namespaces(query)) {
      if (!mayRead.test(namespace)) {
        continue;
      }
      List<Scope> scopes = scopes(namespace, query, now);
      Map<String, PolicySummary> summaries = new HashMap<>();
      List<PolicySummary> ordered = new ArrayList<>();
      for (Scope s : scopes) {
        PolicySummary summary =
            new PolicySummary(
                namespace,
                s.policy().getMetadata().getName(),
                s.lastRun(),
                lastRunPhase(s.policy()));
        summaries.put(summary.policy(), summary);
        ordered.add(summary);
      }
      scan(namespace, scopes, query, line -> summaries.get(line.policy()).add(line));
      out.namespace(namespace, ordered);
      scan(namespace, scopes, query, out::target);
      out.endNamespace();
    }
    out.end();
  }

  private interface LineSink {
    void accept(TargetLine line) throws IOException;
  }

  private List<String> namespaces(ReportQuery query) {
    if (query.namespace() != null) {
      return List.of(query.namespace());
    }
    TreeSet<String> names = new TreeSet<>();
    client
        .resources(PatchPolicy.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(p -> names.add(p.getMetadata().getNamespace()));
    return List.copyOf(names);
  }

  private List<Scope> scopes(String namespace, ReportQuery query, Instant now) {
    Map<String, EndpointGroup> groups = new HashMap<>();
    client
        .resources(EndpointGroup.class)
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(g -> groups.put(g.getMetadata().getName(), g));
    Function<String, Optional<ConfigMap>> configMaps =
        name ->
            Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    List<Scope> scopes = new ArrayList<>();
    client.resources(PatchPolicy.class).inNamespace(namespace).list().getItems().stream()
        .filter(p -> p.getSpec() != null)
        .filter(p -> query.policy() == null || query.policy().equals(p.getMetadata().getName()))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(
            p ->
                scopes.add(
                    new Scope(
                        p, PolicyJudge.of(p, configMaps, now), targets(p, groups), lastRun(p))));
    return scopes;
  }

  private static List<GroupTargets> targets(PatchPolicy policy, Map<String, EndpointGroup> groups) {
    List<GroupTargets> result = new ArrayList<>();
    if (policy.getSpec().getGroups() == null) {
      return result;
    }
    for (String name : policy.getSpec().getGroups()) {
      EndpointGroup g = groups.get(name);
      Duration staleAfter =
          g == null || g.getSpec() == null
              ? null
              : Staleness.staleAfterOrNull(g.getSpec().getStaleAfter());
      if (staleAfter == null) {
        continue; // missing, or invalid: selects nothing, as for the policy's reconciler
      }
      result.add(
          new GroupTargets(
              Selectors.orNull(g.getSpec().getEndpointSelector()),
              Selectors.orNull(g.getSpec().getNodeSelector()),
              staleAfter));
    }
    return result;
  }

  /** The shortest staleAfter of the groups selecting these labels, or null: not a target. */
  private static Duration staleAfter(
      List<GroupTargets> groups, Map<String, String> labels, boolean node) {
    Duration shortest = null;
    for (GroupTargets g : groups) {
      Selector s = node ? g.nodes() : g.endpoints();
      if (s != null && s.matches(labels)) {
        shortest =
            shortest == null || g.staleAfter().compareTo(shortest) < 0 ? g.staleAfter() : shortest;
      }
    }
    return shortest;
  }

  private void scan(String namespace, List<Scope> scopes, ReportQuery query, LineSink sink)
      throws IOException {
    for (Scope scope : scopes) {
      String policy = scope.policy().getMetadata().getName();
      if (scope.groups().stream().anyMatch(g -> g.endpoints() != null)) {
        String token = null;
        do {
          KubernetesResourceList<ManagedEndpoint> page =
              client.resources(ManagedEndpoint.class).inNamespace(namespace).list(page(token));
          for (ManagedEndpoint e : page.getItems()) {
            Duration staleAfter = staleAfter(scope.groups(), e.getMetadata().getLabels(), false);
            if (staleAfter != null) {
              emit(sink, query, endpointLine(namespace, policy, e, scope.judge(), staleAfter));
            }
          }
          token = page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
      }
      if (scope.groups().stream().anyMatch(g -> g.nodes() != null)) {
        String token = null;
        String policyId = NodePatcher.policyId(scope.policy());
        do {
          KubernetesResourceList<Node> page = client.nodes().list(page(token));
          for (Node n : page.getItems()) {
            Duration staleAfter = staleAfter(scope.groups(), n.getMetadata().getLabels(), true);
            if (staleAfter != null) {
              emit(
                  sink,
                  query,
                  nodeLine(namespace, policy, policyId, n, scope.judge().node(n, staleAfter)));
            }
          }
          token = page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
      }
    }
  }

  private static ListOptions page(String token) {
    return new ListOptionsBuilder().withLimit(PAGE).withContinue(token).build();
  }

  private static void emit(LineSink sink, ReportQuery query, TargetLine line) throws IOException {
    if (query.state() == null || query.state() == line.state()) {
      sink.accept(line);
    }
  }

  private static TargetLine endpointLine(
      String namespace, String policy, ManagedEndpoint e, PolicyJudge judge, Duration staleAfter) {
    TargetEvaluation t = judge.endpoint(e, staleAfter);
    AssignmentResult r = e.getStatus() == null ? null : e.getStatus().getLastResult();
    String run = null;
    String result = null;
    if (r != null) {
      run = r.getRun();
      boolean failed =
          r.getUpdates() != null
              && r.getUpdates().stream().anyMatch(o -> o.getResult() == UpdateResult.Failed);
      result = failed ? "Failed" : "Succeeded";
    }
    if (e.getSpec() != null && e.getSpec().getAssignment() != null) {
      String assigned = e.getSpec().getAssignment().getRun();
      if (assigned != null && !assigned.equals(run)) {
        run = assigned;
        result = "Assigned";
      }
    }
    return new TargetLine(
        namespace,
        policy,
        TargetKind.Endpoint,
        e.getMetadata().getName(),
        t.state(),
        t.reason(),
        t.dueBy(),
        t.missing(),
        run,
        result,
        e.getStatus() == null ? null : e.getStatus().getLastSeen());
  }

  private static TargetLine nodeLine(
      String namespace, String policy, String policyId, Node n, TargetEvaluation t) {
    NodeRecord r = NodePatcher.record(n);
    boolean ours = r != null && r.policy().equals(policyId);
    return new TargetLine(
        namespace,
        policy,
        TargetKind.Node,
        n.getMetadata().getName(),
        t.state(),
        ours && r.state() == io.patchwarden.api.node.NodeState.Failed
            ? n.getMetadata().getAnnotations().get(NodeAnnotations.MESSAGE)
            : t.reason(),
        t.dueBy(),
        t.missing(),
        ours ? r.run() : null,
        ours ? r.state().name() : null,
        null);
  }

  private static String lastRun(PatchPolicy p) {
    var status = p.getStatus();
    if (status == null) {
      return null;
    }
    if (status.getRollout() != null && status.getRollout().getRun() != null) {
      return status.getRollout().getRun();
    }
    return status.getLastRun() == null ? null : status.getLastRun().getName();
  }

  private static String lastRunPhase(PatchPolicy p) {
    var status = p.getStatus();
    if (status == null) {
      return null;
    }
    if (status.getRollout() != null && status.getRollout().getRun() != null) {
      return "Running";
    }
    return status.getLastRun() == null || status.getLastRun().getPhase() == null
        ? null
        : status.getLastRun().getPhase().name();
  }
}
