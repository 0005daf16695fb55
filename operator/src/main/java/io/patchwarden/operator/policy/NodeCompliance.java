package io.patchwarden.operator.policy;

import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.NodeTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A node's compliance against a policy's {@code spec.nodes.target}, from what the node reports in
 * {@code status.nodeInfo}: until nodes report package inventories, "patched" means the running
 * kernel, OS image and kubelet are at least the target. Pure.
 *
 * <p>Kernel versions are ordered by the node OS's own rules: RPM ordering on Red Hat-like and SUSE
 * images, Debian (dpkg) ordering everywhere else, which also orders plain dotted versions
 * correctly. Kubelet versions use Debian ordering too ({@code v1.30.10 > v1.30.4}).
 */
public record NodeCompliance(
    String kernelVersion,
    String osImage,
    String osImagePrefix,
    String kubeletVersion,
    String patchedWith) {

  /** Rules from a target alone. */
  public NodeCompliance(
      String kernelVersion, String osImage, String osImagePrefix, String kubeletVersion) {
    this(kernelVersion, osImage, osImagePrefix, kubeletVersion, null);
  }

  /** The rules of {@code spec.nodes.target}, or null when the policy sets none. */
  public static NodeCompliance from(NodeTarget target) {
    if (target == null) {
      return null;
    }
    return new NodeCompliance(
        target.getKernelVersion(),
        target.getOsImage(),
        target.getOsImagePrefix(),
        target.getKubeletVersion());
  }

  /**
   * The rules of {@code spec.nodes}: its target when set; otherwise, when it patches nodes,
   * "patched with the current patch spec" (like a system-upgrade-controller plan); null when it
   * does neither.
   *
   * @param marker what a node's patchwarden.io/patched-with annotation says once patched with the
   *     policy's current spec.nodes.patch
   */
  public static NodeCompliance from(NodePatching nodes, String marker) {
    if (nodes == null) {
      return null;
    }
    if (nodes.getTarget() != null) {
      return from(nodes.getTarget());
    }
    return nodes.getPatch() == null ? null : new NodeCompliance(null, null, null, null, marker);
  }

  /**
   * @param rules null when the policy neither sets a node target nor patches nodes: nodes are then
   *     NotApplicable
   */
  public static TargetEvaluation evaluate(NodeCompliance rules, NodeFacts node, Instant now) {
    if (rules == null) {
      return result(
          node,
          ComplianceState.NotApplicable,
          "the policy sets neither spec.nodes.target nor spec.nodes.patch",
          null);
    }
    Instant next = null;
    if (node.lastHeartbeat() != null) {
      Instant staleAt = node.lastHeartbeat().plus(node.staleAfter());
      if (!now.isBefore(staleAt)) {
        return result(
            node, ComplianceState.Stale, "no heartbeat since " + node.lastHeartbeat(), null);
      }
      next = staleAt;
    }
    List<String> behind = rules.behind(node);
    if (behind.isEmpty()) {
      return result(node, ComplianceState.Compliant, null, next);
    }
    return result(node, ComplianceState.Missing, String.join("; ", behind), next);
  }

  /** What the node lacks, one phrase per target field it misses. */
  public List<String> behind(NodeFacts node) {
    List<String> behind = new ArrayList<>();
    if (patchedWith != null && !patchedWith.equals(node.patchedWith())) {
      behind.add("not patched with the current spec.nodes.patch");
    }
    if (kernelVersion != null) {
      if (node.kernelVersion() == null) {
        behind.add("reports no kernel version");
      } else if (kernelOrder(node.osImage()).compare(node.kernelVersion(), kernelVersion) < 0) {
        behind.add("kernel " + node.kernelVersion() + " is older than " + kernelVersion);
      }
    }
    if (osImage != null && !osImage.equals(node.osImage())) {
      behind.add("OS image '" + node.osImage() + "' is not '" + osImage + "'");
    }
    if (osImagePrefix != null
        && (node.osImage() == null || !node.osImage().startsWith(osImagePrefix))) {
      behind.add("OS image '" + node.osImage() + "' does not start with '" + osImagePrefix + "'");
    }
    if (kubeletVersion != null) {
      if (node.kubeletVersion() == null) {
        behind.add("reports no kubelet version");
      } else if (DebianVersion.compare(node.kubeletVersion(), kubeletVersion) < 0) {
        behind.add("kubelet " + node.kubeletVersion() + " is older than " + kubeletVersion);
      }
    }
    return behind;
  }

  private static final List<String> RPM_FAMILY =
      List.of(
          "red hat",
          "rhel",
          "centos",
          "rocky",
          "alma",
          "fedora",
          "amazon linux",
          "oracle linux",
          "suse",
          "sles",
          "opensuse",
          "azure linux",
          "cbl-mariner");

  /** The version ordering of a node's OS, from its osImage. */
  static java.util.Comparator<String> kernelOrder(String osImage) {
    String image = osImage == null ? "" : osImage.toLowerCase(Locale.ROOT);
    for (String family : RPM_FAMILY) {
      if (image.contains(family)) {
        return RpmVersion::compare;
      }
    }
    return DebianVersion::compare;
  }

  private static TargetEvaluation result(
      NodeFacts node, ComplianceState state, String reason, Instant next) {
    return new TargetEvaluation(node.name(), state, reason, List.of(), null, next);
  }
}
