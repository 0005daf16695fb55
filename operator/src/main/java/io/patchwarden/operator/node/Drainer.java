package io.patchwarden.operator.node;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.patchwarden.api.policy.Drain;
import io.patchwarden.operator.inventory.Selector;
import io.patchwarden.operator.inventory.Selectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves pods off a cordoned node the way {@code kubectl drain} does: through the Eviction API, so
 * PodDisruptionBudgets are honoured (a refused eviction, HTTP 429, is retried on a later pass until
 * the drain timeout). Finished pods, mirror pods, DaemonSet pods (by default), pods matching
 * spec.nodes.drain.podSelector and the node's own patch Jobs stay.
 *
 * <p>One LIST of the node's pods (field selector spec.nodeName) per draining node and pass: at most
 * maxConcurrent nodes drain at once, and a cluster-wide pod informer would cost far more memory.
 */
final class Drainer {
  static final int EXAMPLES = 3;

  private final KubernetesClient client;

  /**
   * Evictions go through a client that does not retry: Fabric8 retries a 429 with backoff for up to
   * ~20 s before evict() returns false, which would hold the pass up per refused pod. A refused
   * eviction is retried by a later pass instead (the shared HTTP client is reused, nothing to
   * close).
   */
  private final KubernetesClient evictions;

  Drainer(KubernetesClient client) {
    this.client = client;
    this.evictions =
        client
            .newClient(
                new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .adapt(KubernetesClient.class);
  }

  /** Evicts what may be evicted now; says what is still in the way. */
  DrainView evict(String node, Drain drain) {
    Rules rules = Rules.of(drain);
    int remaining = 0;
    int refused = 0;
    List<String> examples = new ArrayList<>();
    for (Pod pod : podsOn(node)) {
      if (!rules.mustLeave(pod)) {
        continue;
      }
      String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        remaining++;
        example(examples, name + " (terminating)");
        continue;
      }
      if (!rules.deleteEmptyDirData() && usesEmptyDir(pod)) {
        remaining++;
        refused++;
        example(examples, name + " (emptyDir data; set spec.nodes.drain.deleteEmptyDirData)");
        continue;
      }
      try {
        boolean evicted =
            evictions
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .evict();
        remaining++;
        if (!evicted) {
          refused++;
          example(examples, name + " (a PodDisruptionBudget allows no disruption now)");
        } else {
          example(examples, name + " (evicted)");
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // gone already
        }
        if (e.getCode() >= 500 || e.getCode() == 403 || e.getCode() == 400) {
          // e.g. a pod covered by two budgets, which the API server refuses to evict
          remaining++;
          refused++;
          example(examples, name + " (eviction refused: " + e.getStatus().getMessage() + ")");
          continue;
        }
        throw e;
      }
    }
    return new DrainView(remaining, refused, examples);
  }

  /** drain.onTimeout Force: deletes what is still on the node, budgets notwithstanding. */
  void forceDelete(String node, Drain drain) {
    Rules rules = Rules.of(drain);
    for (Pod pod : podsOn(node)) {
      if (rules.mustLeave(pod)) {
        try {
          client.resource(pod).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    }
  }

  private List<Pod> podsOn(String node) {
    return client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < EXAMPLES) {
      examples.add(text);
    }
  }

  private static boolean usesEmptyDir(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return false;
    }
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getEmptyDir() != null) {
        return true;
      }
    }
    return false;
  }

  /** Which pods a drain moves. */
  private record Rules(boolean ignoreDaemonSets, boolean deleteEmptyDirData, Selector skip) {
    static Rules of(Drain drain) {
      // Validated with the policy; an invalid selector skips nothing.
      Selector skip = drain == null ? null : Selectors.orNull(drain.getPodSelector());
      return new Rules(
          drain == null || drain.getIgnoreDaemonSets() == null || drain.getIgnoreDaemonSets(),
          drain != null && Boolean.TRUE.equals(drain.getDeleteEmptyDirData()),
          skip);
    }

    boolean mustLeave(Pod pod) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        return false;
      }
      var meta = pod.getMetadata();
      if (meta.getAnnotations() != null
          && meta.getAnnotations().containsKey("kubernetes.io/config.mirror")) {
        return false; // static pods are the kubelet's, not the API's
      }
      if (meta.getLabels() != null
          && NodeJobs.MANAGED_BY_VALUE.equals(meta.getLabels().get(NodeJobs.MANAGED_BY))
          && meta.getLabels().containsKey(NodeJobs.KIND_LABEL)) {
        return false;
      }
      if (ignoreDaemonSets && ownedByDaemonSet(pod)) {
        return false;
      }
      return skip == null || !skip.matches(meta.getLabels());
    }

    private static boolean ownedByDaemonSet(Pod pod) {
      List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
      return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
    }
  }
}
