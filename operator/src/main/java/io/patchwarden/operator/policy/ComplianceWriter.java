package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.patchwarden.api.common.SeverityCounts;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.endpoint.PolicyCompliance;
import io.patchwarden.operator.support.JsonPatch;
import io.patchwarden.operator.support.ParallelWrites;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Writes one policy's entry in {@code ManagedEndpoint.status.compliance} — and only that entry:
 * each policy owns the element keyed by its name, the gateway owns the inventory, the endpoint
 * controller the conditions.
 *
 * <p>The list is written whole with the cached object's resourceVersion as a precondition, so two
 * policies updating the same endpoint at once cannot erase each other's entry: the loser gets a
 * 409, re-reads the endpoint and applies its entry to the fresh list. Writes of one pass run a few
 * at a time, since a first pass over a large fleet writes to every endpoint.
 */
public final class ComplianceWriter {
  private static final int ATTEMPTS = 5;
  private final KubernetesClient client;
  private final ParallelWrites writes;

  /** The entry a policy wants on an endpoint; null removes it. */
  record Change(ManagedEndpoint cached, PolicyCompliance desired) {}

  public ComplianceWriter(KubernetesClient client, ParallelWrites writes) {
    this.client = client;
    this.writes = writes;
  }

  /** Whether the cached endpoint already carries exactly this entry (null: no entry). */
  static boolean upToDate(ManagedEndpoint endpoint, String policy, PolicyCompliance desired) {
    return sameJson(entry(endpoint, policy), desired);
  }

  static PolicyCompliance entry(ManagedEndpoint endpoint, String policy) {
    if (endpoint.getStatus() == null || endpoint.getStatus().getCompliance() == null) {
      return null;
    }
    for (PolicyCompliance c : endpoint.getStatus().getCompliance()) {
      if (policy.equals(c.getPolicy())) {
        return c;
      }
    }
    return null;
  }

  /**
   * Applies every change; returns how many endpoints were written.
   *
   * @throws ComplianceWriteException when some writes failed for a reason other than the endpoint
   *     being gone (they are retried with the next pass)
   */
  int write(String policy, List<Change> changes) throws ComplianceWriteException {
    List<Callable<Boolean>> tasks = new ArrayList<>(changes.size());
    for (Change change : changes) {
      tasks.add(() -> apply(policy, change));
    }
    ParallelWrites.Result result = writes.run(tasks);
    if (result.interrupted()) {
      throw new ComplianceWriteException(policy, changes.size(), result.failures());
    }
    if (!result.failures().isEmpty()) {
      throw new ComplianceWriteException(policy, result.failures().size(), result.failures());
    }
    return result.done();
  }

  private boolean apply(String policy, Change change) {
    ManagedEndpoint current = change.cached();
    for (int attempt = 1; ; attempt++) {
      if (upToDate(current, policy, change.desired())) {
        return false;
      }
      try {
        client
            .resources(ManagedEndpoint.class)
            .inNamespace(current.getMetadata().getNamespace())
            .withName(current.getMetadata().getName())
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch(current, policy, change.desired()));
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return false;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
        current =
            client
                .resources(ManagedEndpoint.class)
                .inNamespace(current.getMetadata().getNamespace())
                .withName(current.getMetadata().getName())
                .get();
        if (current == null) {
          return false;
        }
      }
    }
  }

  /**
   * A JSON patch (RFC 6902) setting the whole list with this policy's entry replaced. Setting
   * metadata.resourceVersion to the version read makes it a precondition: the API server answers
   * 409 when the object changed since. (A JSON merge patch would do on a real API server; the
   * Fabric8 mock server appends to lists instead of replacing them.)
   */
  private static String patch(ManagedEndpoint current, String policy, PolicyCompliance desired) {
    List<PolicyCompliance> list = new ArrayList<>();
    boolean hasList = current.getStatus() != null && current.getStatus().getCompliance() != null;
    if (hasList) {
      for (PolicyCompliance c : current.getStatus().getCompliance()) {
        if (!policy.equals(c.getPolicy())) {
          list.add(c);
        }
      }
    }
    if (desired != null) {
      list.add(desired);
    }
    list.sort(Comparator.comparing(PolicyCompliance::getPolicy));
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(
        JsonPatch.replace("/metadata/resourceVersion", current.getMetadata().getResourceVersion()));
    if (current.getStatus() == null) {
      ops.add(JsonPatch.add("/status", Map.of("compliance", list)));
    } else if (list.isEmpty()) {
      if (hasList) {
        ops.add(JsonPatch.remove("/status/compliance"));
      }
    } else {
      ops.add(JsonPatch.add("/status/compliance", list));
    }
    return Serialization.asJson(ops);
  }

  /** Field by field: this runs for every target on every pass, where JSON trees cost too much. */
  static boolean sameJson(PolicyCompliance a, PolicyCompliance b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getPolicy(), b.getPolicy())
        && a.getState() == b.getState()
        && Objects.equals(a.getDueBy(), b.getDueBy())
        && Objects.equals(a.getReason(), b.getReason())
        && sameCounts(a.getMissing(), b.getMissing());
  }

  private static boolean sameCounts(SeverityCounts a, SeverityCounts b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getKnownExploited(), b.getKnownExploited())
        && Objects.equals(a.getCritical(), b.getCritical())
        && Objects.equals(a.getHigh(), b.getHigh())
        && Objects.equals(a.getMedium(), b.getMedium())
        && Objects.equals(a.getLow(), b.getLow())
        && Objects.equals(a.getUnspecified(), b.getUnspecified());
  }
}
