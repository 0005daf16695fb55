package io.patchwarden.operator.node;

/**
 * Where the privileged patch and reboot Jobs run.
 *
 * @param namespace the namespace of every node Job (the operator's own by default: node Jobs are
 *     privileged, so they stay out of tenant namespaces whatever namespace the policy is in)
 * @param serviceAccount their ServiceAccount (no API access; its token is not mounted)
 */
public record NodeJobSettings(String namespace, String serviceAccount) {
  public static final String DEFAULT_NAMESPACE = "patchwarden-system";
  public static final String DEFAULT_SERVICE_ACCOUNT = "patchwarden-node-patch";
}
