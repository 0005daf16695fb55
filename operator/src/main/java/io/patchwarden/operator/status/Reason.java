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
  /** A ManagedEndpoint checked in within its groups' staleAfter. */
  SeenRecently,
  /** A ManagedEndpoint has not checked in within its groups' staleAfter: its state is unknown. */
  NotSeenRecently,
  /** A ManagedEndpoint exists but its agent never completed enrollment. */
  NotEnrolled,
  GroupNotFound,
  WindowNotFound
}
