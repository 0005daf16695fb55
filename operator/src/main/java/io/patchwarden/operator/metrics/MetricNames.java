package io.patchwarden.operator.metrics;

/**
 * The catalogue of Patchwarden's own metrics: every name and help text in one place
 * (docs/metrics.md lists the same). Micrometer names use dots; the Prometheus registry turns them
 * into {@code patchwarden_…} and appends the base unit ({@code _seconds}) and {@code _total} for
 * counters.
 *
 * <p>Labels are bounded: namespace, policy, group, window, severity, state, wave, result — never an
 * endpoint or node name.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Label: the object's namespace. */
  public static final String NAMESPACE = "namespace";

  /** Label: a MaintenanceWindow's name. */
  public static final String WINDOW = "window";

  /** 1 in the replica holding the leader Lease, else 0. */
  public static final String LEADER = "patchwarden.leader";

  public static final String LEADER_HELP = "1 if this replica holds the leader Lease";

  /** {@code patchwarden_maintenance_window_open}: 1 while a fixed-zone window is open, else 0. */
  public static final String WINDOW_OPEN = "patchwarden.maintenance.window.open";

  public static final String WINDOW_OPEN_HELP =
      "1 while the maintenance window is open, 0 while closed (windows with a fixed time zone)";

  /**
   * {@code patchwarden_maintenance_window_next_start_timestamp_seconds}: Unix time of the next
   * occurrence's start.
   */
  public static final String WINDOW_NEXT_START =
      "patchwarden.maintenance.window.next.start.timestamp";

  public static final String WINDOW_NEXT_START_HELP =
      "Unix time at which the maintenance window next opens (windows with a fixed time zone)";

  /** Label: a gateway route (enroll, checkin, result). */
  public static final String ROUTE = "route";

  /** Label: an HTTP status code. */
  public static final String CODE = "code";

  /** {@code patchwarden_gateway_requests_total}. */
  public static final String GATEWAY_REQUESTS = "patchwarden.gateway.requests";

  public static final String GATEWAY_REQUESTS_HELP =
      "Agent gateway requests by route and HTTP status code";

  /** {@code patchwarden_gateway_request_duration_seconds} (histogram). */
  public static final String GATEWAY_REQUEST_DURATION = "patchwarden.gateway.request.duration";

  public static final String GATEWAY_REQUEST_DURATION_HELP =
      "Time to answer an agent gateway request, by route";

  /** Label: an EndpointGroup's name. */
  public static final String GROUP = "group";

  /** Label: an OS family (Debian, RedHat, Suse, Windows, MacOS, Other). */
  public static final String OS_FAMILY = "os_family";

  /** {@code patchwarden_endpoints}: endpoints of a group by OS family. */
  public static final String ENDPOINTS = "patchwarden.endpoints";

  public static final String ENDPOINTS_HELP =
      "ManagedEndpoints selected by an EndpointGroup, by reported OS family";

  /** {@code patchwarden_endpoints_stale}: endpoints of a group not seen within its staleAfter. */
  public static final String ENDPOINTS_STALE = "patchwarden.endpoints.stale";

  public static final String ENDPOINTS_STALE_HELP =
      "ManagedEndpoints of an EndpointGroup not seen within the group's staleAfter";

  /** Label: the kind of API write (create, status). */
  public static final String KIND = "kind";

  /** {@code patchwarden_gateway_endpoint_writes_total}: API writes made by the gateway. */
  public static final String GATEWAY_WRITES = "patchwarden.gateway.endpoint.writes";

  public static final String GATEWAY_WRITES_HELP =
      "Kubernetes API writes made by the agent gateway (create: new endpoints; status: status"
          + " patches)";

  /** Label: a PatchPolicy's name. */
  public static final String POLICY = "policy";

  /** Label: a compliance state (Compliant, Missing, PendingReboot, Failed, Overdue, ...). */
  public static final String STATE = "state";

  /**
   * Label: a severity (critical, high, medium, low, unspecified) or knownExploited for updates
   * fixing a CVE in the known-exploited catalogue.
   */
  public static final String SEVERITY = "severity";

  /** {@code patchwarden_policy_targets}: a policy's targets per compliance state. */
  public static final String POLICY_TARGETS = "patchwarden.policy.targets";

  public static final String POLICY_TARGETS_HELP =
      "Targets (endpoints and nodes) of a PatchPolicy per compliance state";

  /** {@code patchwarden_policy_missing_updates}: approved updates missing, summed over targets. */
  public static final String POLICY_MISSING_UPDATES = "patchwarden.policy.missing.updates";

  public static final String POLICY_MISSING_UPDATES_HELP =
      "Approved updates not yet installed, summed over a PatchPolicy's targets, by severity";

  /** {@code patchwarden_policy_overdue_targets}: targets with an overdue update of a severity. */
  public static final String POLICY_OVERDUE_TARGETS = "patchwarden.policy.overdue.targets";

  public static final String POLICY_OVERDUE_TARGETS_HELP =
      "Overdue targets of a PatchPolicy with at least one update of this severity past its"
          + " deadline";

  /**
   * {@code patchwarden_policy_oldest_missing_update_age_seconds}: age of the oldest missing
   * approved update, from its release (or first sighting).
   */
  public static final String POLICY_OLDEST_MISSING_AGE =
      "patchwarden.policy.oldest.missing.update.age";

  public static final String POLICY_OLDEST_MISSING_AGE_HELP =
      "Age of the oldest approved update still missing on a target of a PatchPolicy, counted from"
          + " its release date (or first sighting), by severity";

  /**
   * {@code patchwarden_policy_next_due_timestamp_seconds}: the earliest deadline among a policy's
   * missing updates (past ones included: they are overdue).
   */
  public static final String POLICY_NEXT_DUE = "patchwarden.policy.next.due.timestamp";

  public static final String POLICY_NEXT_DUE_HELP =
      "Unix time of the earliest deadline of an approved update still missing on a target of the"
          + " PatchPolicy (absent when nothing is missing)";

  /** {@code patchwarden_policy_evaluations_total}: evaluation passes over a policy's targets. */
  public static final String POLICY_EVALUATIONS = "patchwarden.policy.evaluations";

  public static final String POLICY_EVALUATIONS_HELP =
      "Evaluation passes over all targets of a PatchPolicy (debounced: a burst of changes causes"
          + " few passes)";

  /** Label: a rollout wave's name. */
  public static final String WAVE = "wave";

  /** Label: an outcome (pending, assigned, succeeded, failed, skipped; emergency). */
  public static final String RESULT = "result";

  /** {@code patchwarden_run_targets}: targets of a policy's current run per wave and result. */
  public static final String RUN_TARGETS = "patchwarden.run.targets";

  public static final String RUN_TARGETS_HELP =
      "Targets of a PatchPolicy's current PatchRun by wave and result (pending, assigned,"
          + " succeeded, failed, skipped)";

  /** {@code patchwarden_run_halted}: 1 while a policy's current run is halted. */
  public static final String RUN_HALTED = "patchwarden.run.halted";

  public static final String RUN_HALTED_HELP =
      "1 while the PatchPolicy's current run is halted by haltOnFailures, else 0";

  /** {@code patchwarden_assignments_total}: assignments written and finished. */
  public static final String ASSIGNMENTS = "patchwarden.assignments";

  public static final String ASSIGNMENTS_HELP =
      "Assignments written to endpoints (result assigned or emergency) and finished (succeeded,"
          + " failed)";

  /** Label: a node patch phase (drain, patch, reboot, verify). */
  public static final String PHASE = "phase";

  /** {@code patchwarden_nodes}: a policy's nodes per state of their patch run. */
  public static final String NODES = "patchwarden.nodes";

  public static final String NODES_HELP =
      "Nodes of a PatchPolicy by state: Idle (not in a run of the policy), Selected, Cordoned,"
          + " Drained, Patching, Rebooting, Verifying, Done, Failed, Skipped";

  /** {@code patchwarden_node_patch_duration_seconds} (histogram): one node patch phase. */
  public static final String NODE_PATCH_DURATION = "patchwarden.node.patch.duration";

  public static final String NODE_PATCH_DURATION_HELP =
      "Time a node spent in one patch phase (drain, patch, reboot, verify)";

  /** {@code patchwarden_node_drain_timeouts_total}. */
  public static final String NODE_DRAIN_TIMEOUTS = "patchwarden.node.drain.timeouts";

  public static final String NODE_DRAIN_TIMEOUTS_HELP =
      "Node drains that did not finish within spec.nodes.drain.timeout";

  /**
   * {@code patchwarden_node_oldest_in_flight_seconds}: how long a policy's longest-waiting node has
   * been in its current non-final state.
   */
  public static final String NODE_OLDEST_IN_FLIGHT = "patchwarden.node.oldest.in.flight";

  public static final String NODE_OLDEST_IN_FLIGHT_HELP =
      "Seconds the longest-waiting node of the PatchPolicy has been in its current state between"
          + " Selected and Verifying (0 when no node is in flight)";
}
