package io.patchwarden.operator.testing;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.patchwarden.api.endpoint.Assignment;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A history of endpoint assignments as the API server saw them, from a watch on ManagedEndpoints:
 * every assignment written (run and assignedAt) counts once, so a target assigned twice shows up
 * twice; in flight means assigned without a result for that run yet.
 */
public final class AssignmentHistory implements Watcher<ManagedEndpoint> {
  /** The run of each endpoint's latest assignment. */
  public final Map<String, String> assignedRun = new ConcurrentHashMap<>();

  /** The run of each endpoint's latest result. */
  public final Map<String, String> resultRun = new ConcurrentHashMap<>();

  /** The position of each endpoint's latest assignment among all assignments seen (from 1). */
  public final Map<String, Integer> order = new ConcurrentHashMap<>();

  public final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();
  public final Map<String, String> uids = new ConcurrentHashMap<>();

  /** Assignments written. */
  public final AtomicInteger assignments = new AtomicInteger();

  /** The most endpoints in flight at once. */
  public volatile int maxInFlight;

  private final Map<String, String> lastStamp = new ConcurrentHashMap<>();

  @Override
  public synchronized void eventReceived(Action action, ManagedEndpoint e) {
    String name = e.getMetadata().getName();
    labels.put(name, e.getMetadata().getLabels() == null ? Map.of() : e.getMetadata().getLabels());
    uids.put(name, e.getMetadata().getUid());
    Assignment assignment = e.getSpec() == null ? null : e.getSpec().getAssignment();
    String a = assignment == null ? null : assignment.getRun();
    String stamp = assignment == null ? null : a + "@" + assignment.getAssignedAt();
    String r =
        e.getStatus() == null || e.getStatus().getLastResult() == null
            ? null
            : e.getStatus().getLastResult().getRun();
    if (stamp != null && !stamp.equals(lastStamp.get(name))) {
      assignedRun.put(name, a);
      order.put(name, assignments.incrementAndGet());
    }
    if (stamp != null) {
      lastStamp.put(name, stamp);
    } else {
      lastStamp.remove(name);
    }
    if (r != null) {
      resultRun.put(name, r);
    }
    int inFlight = 0;
    for (var entry : assignedRun.entrySet()) {
      if (!entry.getValue().equals(resultRun.get(entry.getKey()))) {
        inFlight++;
      }
    }
    maxInFlight = Math.max(maxInFlight, inFlight);
  }

  @Override
  public void onClose(WatcherException cause) {}
}
