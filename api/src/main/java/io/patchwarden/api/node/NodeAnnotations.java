package io.patchwarden.api.node;

/**
 * The {@code patchwarden.io/*} annotations on a Node: the per-node state of its patch run (read by
 * the operator after a restart) and its per-node history (read by people: {@code kubectl describe
 * node}).
 */
public final class NodeAnnotations {
  private NodeAnnotations() {}

  public static final String PREFIX = "patchwarden.io/";

  /** {@code <namespace>/<policy>} whose run patches the node. */
  public static final String POLICY = PREFIX + "policy";

  /** The PatchRun. */
  public static final String RUN = PREFIX + "run";

  /** A {@link NodeState}. */
  public static final String STATE = PREFIX + "state";

  /** When the node entered its state (RFC 3339): timeouts and phase durations count from it. */
  public static final String SINCE = PREFIX + "since";

  /** When the node was selected (RFC 3339). */
  public static final String STARTED = PREFIX + "started";

  /** "true" when the node was unschedulable before Patchwarden cordoned it: never uncordoned. */
  public static final String WAS_UNSCHEDULABLE = PREFIX + "was-unschedulable";

  /**
   * "true" when the node is still cordoned from a run that left it Failed: that cordon was
   * Patchwarden's, so the next run uncordons the node when it is done.
   */
  public static final String CORDON_INHERITED = PREFIX + "cordon-inherited";

  /** "true" when a Failed node was left cordoned by Patchwarden (not by an admin). */
  public static final String LEFT_CORDONED = PREFIX + "left-cordoned";

  /** nodeInfo.bootID before the reboot. */
  public static final String BOOT_ID_BEFORE = PREFIX + "boot-id-before";

  /** "true" when the patch Job reported that the host needs a reboot. */
  public static final String REBOOT_REQUESTED = PREFIX + "reboot-requested";

  public static final String KERNEL_BEFORE = PREFIX + "kernel-before";
  public static final String KERNEL_AFTER = PREFIX + "kernel-after";
  public static final String OS_IMAGE_BEFORE = PREFIX + "os-image-before";
  public static final String OS_IMAGE_AFTER = PREFIX + "os-image-after";

  /** Seconds per phase, e.g. {@code drain=12,patch=95,reboot=71,verify=3}. */
  public static final String DURATIONS = PREFIX + "durations";

  /** Why the node Failed or was Skipped (UpperCamelCase). */
  public static final String REASON = PREFIX + "reason";

  /** Detail of the reason. */
  public static final String MESSAGE = PREFIX + "message";

  /**
   * {@code <namespace>/<policy>@<hash of spec.nodes.patch>} of the last successful patch: without a
   * spec.nodes.target, a node is compliant once patched with the policy's current patch spec.
   */
  public static final String PATCHED_WITH = PREFIX + "patched-with";
}
