package io.patchwarden.operator.node;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.policy.NodePatchJob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The privileged Jobs that patch and reboot a node. Each node has exactly one Job of each kind per
 * run: the name is derived from run, node and kind, so a restarted operator finds the Job it
 * created (an AlreadyExists answer is as good as a created Job) instead of creating a second.
 */
public final class NodeJobs {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "patchwarden";
  public static final String KIND_LABEL = "patchwarden.io/job";
  public static final String RUN_LABEL = "patchwarden.io/run";
  public static final String NODE_LABEL = "patchwarden.io/node";

  /** Annotations carrying the full names (labels are limited to 63 characters). */
  public static final String POLICY_ANNOTATION = "patchwarden.io/policy";

  public static final String NODE_ANNOTATION = "patchwarden.io/node";
  public static final String RUN_ANNOTATION = "patchwarden.io/run";

  /** Finished Jobs are kept this long, for kubectl logs; far beyond any patch timeout. */
  static final long TTL_SECONDS = Duration.ofDays(7).toSeconds();

  /**
   * Reboots the host when asked to, or when the host's own sentinel says it must; exits 0 without
   * rebooting otherwise. After asking for the reboot it never succeeds: the pod dies with the node,
   * and the node's new bootID tells the operator the reboot happened.
   */
  static final String REBOOT_SCRIPT =
      "if [ \"$REBOOT_MODE\" = Always ] || [ \"$REBOOT_REQUIRED\" = true ]"
          + " || chroot /host test -e /var/run/reboot-required; then\n"
          + "  echo \"rebooting $PATCHWARDEN_NODE\"\n"
          + "  nsenter -t 1 -m -u -i -n -p -- systemctl reboot"
          + " || nsenter -t 1 -m -u -i -n -p -- reboot\n"
          + "  sleep 900\n"
          + "  exit 1\n"
          + "fi\n"
          + "echo 'no reboot required'\n";

  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  private final KubernetesClient client;
  private final NodeJobSettings settings;

  public NodeJobs(KubernetesClient client, NodeJobSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public String namespace() {
    return settings.namespace();
  }

  boolean mayPatchNodes(String policyNamespace) {
    return settings.mayPatchNodes(policyNamespace);
  }

  /**
   * {@code pw-<kind>-<hash of policy, run and node>}: stable, unique per node, run and kind — and
   * per policy, as two namespaces' policies of the same name may start runs of the same name.
   */
  public static String name(String policyId, String run, String node, Step.JobKind kind) {
    return "pw-" + kind.label() + "-" + hash(policyId + "\u0000" + run + "\u0000" + node, 20);
  }

  /** The Job for this node and run as built now (not yet created). */
  public Job build(
      String policyId,
      String run,
      String node,
      Step.JobKind kind,
      NodePatchJob patch,
      Duration deadline,
      RebootPolicy reboot,
      boolean rebootRequested) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(KIND_LABEL, kind.label());
    labels.put(RUN_LABEL, labelValue(run));
    labels.put(NODE_LABEL, labelValue(node));
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("PATCHWARDEN_NODE", node, null));
    env.add(new EnvVar("PATCHWARDEN_RUN", run, null));
    var container =
        new ContainerBuilder()
            .withName(kind.label())
            .withImage(patch.getImage())
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .addNewVolumeMount()
            .withName("host")
            .withMountPath("/host")
            .endVolumeMount()
            .withTerminationMessagePolicy("FallbackToLogsOnError");
    if (kind == Step.JobKind.Patch) {
      container.withCommand(patch.getCommand()).withArgs(patch.getArgs());
      if (patch.getResources() != null) {
        container.withResources(patch.getResources());
      }
    } else {
      env.add(new EnvVar("REBOOT_MODE", reboot.name(), null));
      env.add(new EnvVar("REBOOT_REQUIRED", Boolean.toString(rebootRequested), null));
      container.withCommand("/bin/sh", "-c", REBOOT_SCRIPT);
    }
    container.withEnv(env);
    List<Toleration> tolerations = new ArrayList<>();
    // The node is cordoned while its Jobs run; nodeName bypasses the scheduler, not the taint.
    tolerations.add(
        new TolerationBuilder()
            .withKey("node.kubernetes.io/unschedulable")
            .withOperator("Exists")
            .withEffect("NoSchedule")
            .build());
    if (patch.getTolerations() != null) {
      tolerations.addAll(patch.getTolerations());
    }
    return new JobBuilder()
        .withNewMetadata()
        .withName(name(policyId, run, node, kind))
        .withNamespace(settings.namespace())
        .withLabels(labels)
        .withAnnotations(
            Map.of(POLICY_ANNOTATION, policyId, NODE_ANNOTATION, node, RUN_ANNOTATION, run))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadline.toSeconds())
        .withTtlSecondsAfterFinished((int) TTL_SECONDS)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withHostPID(true)
        .withRestartPolicy("Never")
        .withServiceAccountName(settings.serviceAccount())
        .withAutomountServiceAccountToken(false)
        .withTolerations(tolerations)
        .withContainers(container.build())
        .addNewVolume()
        .withName("host")
        .withNewHostPath()
        .withPath("/")
        .withType("Directory")
        .endHostPath()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Creates the Job unless it exists (after a restart it usually does). */
  void create(Job job) {
    try {
      client.resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** What a Job says; for a succeeded patch Job, whether its pod asked for a reboot. */
  JobView view(Job job, Step.JobKind kind) {
    if (job == null) {
      return JobView.MISSING;
    }
    List<JobCondition> conditions =
        job.getStatus() == null || job.getStatus().getConditions() == null
            ? List.of()
            : job.getStatus().getConditions();
    for (JobCondition c : conditions) {
      if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
        return new JobView(JobView.Phase.Failed, failure(c), false);
      }
    }
    for (JobCondition c : conditions) {
      if ("Complete".equals(c.getType()) && "True".equals(c.getStatus())) {
        String message = kind == Step.JobKind.Patch ? terminationMessage(job) : null;
        return new JobView(
            JobView.Phase.Succeeded,
            message,
            message != null && message.toLowerCase(Locale.ROOT).contains("reboot-required"));
      }
    }
    return JobView.RUNNING;
  }

  private static String failure(JobCondition c) {
    String text =
        (c.getReason() == null ? "" : c.getReason())
            + (c.getMessage() == null ? "" : (c.getReason() == null ? "" : ": ") + c.getMessage());
    return text.isEmpty() ? null : text;
  }

  /** The patch container's termination message: where the Job says "reboot-required". */
  private String terminationMessage(Job job) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(job.getMetadata().getNamespace())
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems();
    for (Pod pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (var cs : pod.getStatus().getContainerStatuses()) {
        if (cs.getState() != null
            && cs.getState().getTerminated() != null
            && cs.getState().getTerminated().getMessage() != null) {
          String m = cs.getState().getTerminated().getMessage().strip();
          return m.length() > 512 ? m.substring(0, 512) : m;
        }
      }
    }
    return null;
  }

  /** A valid label value: the name itself when it fits, else a prefix and a hash. */
  static String labelValue(String value) {
    if (value.length() <= 63 && LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String h = hash(value, 10);
    String prefix = value.replaceAll("[^-A-Za-z0-9_.]", "-");
    prefix = prefix.substring(0, Math.min(prefix.length(), 63 - h.length() - 1));
    prefix = prefix.replaceAll("^[^A-Za-z0-9]+", "");
    return prefix.isEmpty() ? h : prefix + "-" + h;
  }

  static String hash(String value, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
