package io.patchwarden.operator.node;

import java.util.Set;

/**
 * Where the privileged patch and reboot Jobs run, and whose policies may start them.
 *
 * @param namespace the namespace of every node Job (the operator's own by default: node Jobs are
 *     privileged, so they stay out of tenant namespaces whatever namespace the policy is in)
 * @param serviceAccount their ServiceAccount (no API access; its token is not mounted)
 * @param policyNamespaces the only namespaces whose PatchPolicies may patch nodes: a node Job is
 *     root on the node, so a tenant who may write policies must not get one (default: the Job
 *     namespace alone)
 */
public record NodeJobSettings(
    String namespace, String serviceAccount, Set<String> policyNamespaces) {
  public static final String DEFAULT_NAMESPACE = "patchwarden-system";
  public static final String DEFAULT_SERVICE_ACCOUNT = "patchwarden-node-patch";

  public NodeJobSettings {
    policyNamespaces =
        policyNamespaces == null || policyNamespaces.isEmpty()
            ? Set.of(namespace)
            : Set.copyOf(policyNamespaces);
  }

  /** Only policies in the Job namespace may patch nodes. */
  public NodeJobSettings(String namespace, String serviceAccount) {
    this(namespace, serviceAccount, Set.of());
  }

  public boolean mayPatchNodes(String policyNamespace) {
    return policyNamespaces.contains(policyNamespace);
  }
}
