package io.patchwarden.operator.status;

/**
 * Every condition reason Patchwarden writes, in one place so docs, alerts and tests agree. The name
 * is the reason string (UpperCamelCase, as metav1.Condition requires).
 */
public enum Reason {
  /** The spec is valid and everything it references exists. */
  SpecValid,
  MissingSpec,
  InvalidTimeZone,
  InvalidCron,
  InvalidDuration,
  InvalidDate,
  InvalidRecurrence,
  /** The window has no occurrence now or in the future (within ten years). */
  NeverOpens,
  InvalidSelector,
  InvalidReference,
  InvalidRollout,
  InvalidApproval,
  InvalidNodePatching,
  /**
   * The policy sets spec.nodes.patch in a namespace whose policies may not patch nodes (a node Job
   * is root on the node); PATCHWARDEN_NODE_POLICY_NAMESPACES lists the namespaces that may.
   */
  NodePatchingNotAllowed,
  /** A ManagedEndpoint checked in within its groups' staleAfter. */
  SeenRecently,
  /** A ManagedEndpoint has not checked in within its groups' staleAfter: its state is unknown. */
  NotSeenRecently,
  /** A ManagedEndpoint exists but its agent never completed enrollment. */
  NotEnrolled,
  GroupNotFound,
  WindowNotFound,
  /** Every target of a policy is Compliant (or the policy does not apply to it). */
  AllCompliant,
  /** Some targets of a policy are not Compliant; the message counts them per state. */
  TargetsNotCompliant,
  /** The policy's groups select no target. */
  NoTargets,
  /** The known-exploited catalogue was read. */
  CatalogLoaded,
  /** The ConfigMap named by spec.knownExploitedCatalog does not exist (or lacks the label). */
  ConfigMapNotFound,
  /** The ConfigMap has no data under spec.knownExploitedCatalog.key. */
  KeyNotFound,
  /** The ConfigMap's data is not a KEV-format catalogue. */
  MalformedCatalog,
  /** The approval section can approve updates. */
  RulesEffective,
  /** The approval section has no rule and no approve entry: nothing will ever be approved. */
  NothingApprovable,
  /** Every rule's approveUntil has passed and there is no approve entry: new updates never are. */
  ApproveUntilPassed,
  /** An approve entry is also a reject entry; reject wins, so the approve entry does nothing. */
  ApproveEntryRejected,
  /** PatchRun Succeeded=True: every target of the run succeeded or was skipped. */
  RunSucceeded,
  /** PatchRun Succeeded=False: the run finished with failed targets. */
  RunFailed,
  /** PatchRun Succeeded=False: the run has not finished. */
  RunInProgress,
  /** PatchRun Halted=True: a wave's failures exceeded haltOnFailures. */
  FailuresAboveThreshold,
  /** PatchRun Halted=False. */
  FailuresWithinThreshold,
  /** PatchRun WaitingForApproval=True: approval mode Manual, the run is not in approvedRuns. */
  ApprovalRequired,
  /** PatchRun WaitingForApproval=False. */
  Approved,
  /** PatchRun WaitingForWindow=True: no window is open for the current wave's pending targets. */
  NoWindowOpen,
  /** PatchRun WaitingForWindow=False. */
  NotWaitingForWindow
}
