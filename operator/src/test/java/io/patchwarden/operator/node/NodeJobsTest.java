package io.patchwarden.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.patchwarden.api.common.RebootPolicy;
import io.patchwarden.api.policy.NodePatchJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeJobsTest {
  static final String RUN = "nodes-monthly-20261101-010000";
  final NodeJobs jobs = new NodeJobs(null, new NodeJobSettings("patchwarden-system", "pw-node"));

  static NodePatchJob patch() {
    NodePatchJob p = new NodePatchJob();
    p.setImage("registry.example/patch@sha256:" + "a".repeat(64));
    p.setCommand(List.of("/bin/sh", "-c"));
    p.setArgs(List.of("chroot /host apt-get -y upgrade"));
    p.setTolerations(
        List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
    return p;
  }

  Job build(String node, Step.JobKind kind) {
    return jobs.build(
        "infra/nodes",
        RUN,
        node,
        kind,
        patch(),
        Duration.ofMinutes(30),
        RebootPolicy.IfRequired,
        true);
  }

  @Test
  void oneNamePerRunNodeAndKind() {
    assertThat(NodeJobs.name("ns/p", RUN, "n1", Step.JobKind.Patch))
        .isEqualTo(NodeJobs.name("ns/p", RUN, "n1", Step.JobKind.Patch))
        .isNotEqualTo(NodeJobs.name("ns/p", RUN, "n2", Step.JobKind.Patch))
        .isNotEqualTo(NodeJobs.name("ns/p", RUN + "x", "n1", Step.JobKind.Patch))
        .isNotEqualTo(NodeJobs.name("ns/p", RUN, "n1", Step.JobKind.Reboot))
        .as("two namespaces' policies of the same name, runs of the same name")
        .isNotEqualTo(NodeJobs.name("other/p", RUN, "n1", Step.JobKind.Patch))
        .startsWith("pw-patch-")
        .hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void patchJobIsPinnedPrivilegedAndSeesTheHost() {
    Job job = build("worker-1", Step.JobKind.Patch);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(job.getMetadata().getNamespace()).isEqualTo("patchwarden-system");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
    assertThat(pod.getNodeName()).isEqualTo("worker-1");
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("pw-node");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes().get(0).getHostPath().getPath()).isEqualTo("/");
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getPrivileged()).isTrue();
    assertThat(container.getVolumeMounts().get(0).getMountPath()).isEqualTo("/host");
    assertThat(container.getArgs()).containsExactly("chroot /host apt-get -y upgrade");
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("node.kubernetes.io/unschedulable", "dedicated");
    assertThat(job.getMetadata().getLabels())
        .containsEntry(NodeJobs.MANAGED_BY, "patchwarden")
        .containsEntry(NodeJobs.KIND_LABEL, "patch")
        .containsEntry(NodeJobs.NODE_LABEL, "worker-1")
        .containsEntry(NodeJobs.RUN_LABEL, RUN);
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(NodeJobs.POLICY_ANNOTATION, "infra/nodes");
  }

  @Test
  void rebootJobCarriesTheDecisionInputs() {
    Job job = build("worker-1", Step.JobKind.Reboot);
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).containsExactly("/bin/sh", "-c", NodeJobs.REBOOT_SCRIPT);
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("REBOOT_MODE", "IfRequired"),
            org.assertj.core.groups.Tuple.tuple("REBOOT_REQUIRED", "true"));
  }

  @Test
  void longNamesBecomeValidLabelValues() {
    String node = "ip-10-0-0-1." + "very-long-domain.".repeat(10) + "example.com";
    String label = NodeJobs.labelValue(node);
    assertThat(label)
        .hasSizeLessThanOrEqualTo(63)
        .matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    assertThat(NodeJobs.labelValue(node + "x")).isNotEqualTo(label);
    assertThat(NodeJobs.labelValue("worker-1")).isEqualTo("worker-1");
  }

  @Test
  void jobOutcomeIsReadFromItsConditions() {
    assertThat(jobs.view(null, Step.JobKind.Patch)).isEqualTo(JobView.MISSING);
    Job running = new JobBuilder().withNewMetadata().withName("j").endMetadata().build();
    assertThat(jobs.view(running, Step.JobKind.Reboot)).isEqualTo(JobView.RUNNING);
    Job failed =
        new JobBuilder()
            .withNewMetadata()
            .withName("j")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Failed")
            .withStatus("True")
            .withReason("BackoffLimitExceeded")
            .withMessage("Job has reached the specified backoff limit")
            .endCondition()
            .endStatus()
            .build();
    JobView view = jobs.view(failed, Step.JobKind.Reboot);
    assertThat(view.phase()).isEqualTo(JobView.Phase.Failed);
    assertThat(view.message())
        .isEqualTo("BackoffLimitExceeded: Job has reached the specified backoff limit");
    Job complete =
        new JobBuilder()
            .withNewMetadata()
            .withName("j")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Complete")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    assertThat(jobs.view(complete, Step.JobKind.Reboot).phase()).isEqualTo(JobView.Phase.Succeeded);
  }
}
