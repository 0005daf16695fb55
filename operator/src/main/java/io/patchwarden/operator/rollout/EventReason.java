package io.patchwarden.operator.rollout;

/** The reason of a Kubernetes Event: an enum constant, so the set of reasons is documented. */
public interface EventReason {
  String name();

  /** Normal or Warning. */
  String type();
}
