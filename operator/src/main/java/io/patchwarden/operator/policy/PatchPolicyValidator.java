package io.patchwarden.operator.policy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.patchwarden.api.policy.Approval;
import io.patchwarden.api.policy.ApprovalRule;
import io.patchwarden.api.policy.Deadlines;
import io.patchwarden.api.policy.NodePatchJob;
import io.patchwarden.api.policy.NodePatching;
import io.patchwarden.api.policy.PatchMatcher;
import io.patchwarden.api.policy.PatchPolicySpec;
import io.patchwarden.api.policy.Rollout;
import io.patchwarden.api.policy.Wave;
import io.patchwarden.operator.status.Reason;
import io.patchwarden.operator.status.SpecProblem;
import io.patchwarden.operator.support.Durations;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a PatchPolicy spec against what exists (referenced groups and windows) and what the schema
 * cannot say, repeating its CEL rules for API servers that do not enforce them.
 */
public final class PatchPolicyValidator {
  private static final Pattern PERCENT = Pattern.compile("^(100|[1-9]?[0-9])%$");
  private static final Pattern DIGEST = Pattern.compile("@sha256:[a-f0-9]{64}$");

  private PatchPolicyValidator() {}

  /**
   * @param existingGroups names of the EndpointGroups in the policy's namespace
   * @param existingWindows names of the MaintenanceWindows in the policy's namespace
   */
  public static List<SpecProblem> validate(
      PatchPolicySpec spec, Set<String> existingGroups, Set<String> existingWindows) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(new SpecProblem(Reason.MissingSpec, "spec", "is missing"));
      return problems;
    }
    checkReferences(spec, existingGroups, existingWindows, problems);
    checkApproval(spec.getApproval(), problems);
    checkDeadlines(spec.getDeadlines(), problems);
    checkRollout(spec.getRollout(), existingGroups, problems);
    checkNodes(spec.getNodes(), problems);
    return problems;
  }

  private static void checkReferences(
      PatchPolicySpec spec, Set<String> groups, Set<String> windows, List<SpecProblem> problems) {
    List<String> groupNames = spec.getGroups() == null ? List.of() : spec.getGroups();
    if (groupNames.isEmpty()) {
      problems.add(
          new SpecProblem(Reason.InvalidReference, "spec.groups", "must name at least one group"));
    }
    for (int i = 0; i < groupNames.size(); i++) {
      if (!groups.contains(groupNames.get(i))) {
        problems.add(
            new SpecProblem(
                Reason.GroupNotFound,
                "spec.groups[" + i + "]",
                "EndpointGroup '" + groupNames.get(i) + "' does not exist in this namespace"));
      }
    }
    List<String> windowNames = spec.getWindows() == null ? List.of() : spec.getWindows();
    for (int i = 0; i < windowNames.size(); i++) {
      if (!windows.contains(windowNames.get(i))) {
        problems.add(
            new SpecProblem(
                Reason.WindowNotFound,
                "spec.windows[" + i + "]",
                "MaintenanceWindow '" + windowNames.get(i) + "' does not exist in this namespace"));
      }
    }
  }

  private static void checkApproval(Approval approval, List<SpecProblem> problems) {
    if (approval == null) {
      return;
    }
    List<ApprovalRule> rules = approval.getRules() == null ? List.of() : approval.getRules();
    for (int i = 0; i < rules.size(); i++) {
      String field = "spec.approval.rules[" + i + "]";
      checkDuration(rules.get(i).getApproveAfter(), field + ".approveAfter", problems);
      String until = rules.get(i).getApproveUntil();
      if (until != null) {
        try {
          LocalDate.parse(until);
        } catch (DateTimeException e) {
          problems.add(
              new SpecProblem(
                  Reason.InvalidApproval,
                  field + ".approveUntil",
                  "'" + until + "' is not a calendar date"));
        }
      }
    }
    checkMatchers(approval.getApprove(), "spec.approval.approve", problems);
    checkMatchers(approval.getReject(), "spec.approval.reject", problems);
  }

  private static void checkMatchers(
      List<PatchMatcher> matchers, String field, List<SpecProblem> problems) {
    if (matchers == null) {
      return;
    }
    for (int i = 0; i < matchers.size(); i++) {
      PatchMatcher m = matchers.get(i);
      int ways =
          (m.getId() != null ? 1 : 0)
              + (m.getPackageName() != null ? 1 : 0)
              + (m.getCve() != null ? 1 : 0);
      if (ways != 1) {
        problems.add(
            new SpecProblem(
                Reason.InvalidApproval,
                field + "[" + i + "]",
                "must set exactly one of id, package or cve"));
      }
      if (m.getVersion() != null && m.getPackageName() == null) {
        problems.add(
            new SpecProblem(
                Reason.InvalidApproval,
                field + "[" + i + "].version",
                "may only be set together with package"));
      }
    }
  }

  private static void checkDeadlines(Deadlines d, List<SpecProblem> problems) {
    if (d == null) {
      return;
    }
    checkDuration(d.getKnownExploited(), "spec.deadlines.knownExploited", problems);
    checkDuration(d.getCritical(), "spec.deadlines.critical", problems);
    checkDuration(d.getHigh(), "spec.deadlines.high", problems);
    checkDuration(d.getMedium(), "spec.deadlines.medium", problems);
    checkDuration(d.getLow(), "spec.deadlines.low", problems);
    checkDuration(d.getUnspecified(), "spec.deadlines.unspecified", problems);
  }

  private static void checkRollout(
      Rollout rollout, Set<String> groups, List<SpecProblem> problems) {
    if (rollout == null) {
      return;
    }
    List<Wave> waves = rollout.getWaves() == null ? List.of() : rollout.getWaves();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < waves.size(); i++) {
      Wave w = waves.get(i);
      String field = "spec.rollout.waves[" + i + "]";
      if (!seen.add(w.getName())) {
        problems.add(
            new SpecProblem(
                Reason.InvalidRollout, field + ".name", "'" + w.getName() + "' is used twice"));
      }
      if ((w.getGroup() == null) == (w.getPercent() == null)) {
        problems.add(new SpecProblem(Reason.InvalidRollout, field, "set either group or percent"));
      }
      if (w.getGroup() != null && !groups.contains(w.getGroup())) {
        problems.add(
            new SpecProblem(
                Reason.GroupNotFound,
                field + ".group",
                "EndpointGroup '" + w.getGroup() + "' does not exist in this namespace"));
      }
      checkDuration(w.getSoak(), field + ".soak", problems);
    }
    checkCountOrPercent(rollout.getMaxConcurrent(), 1, "spec.rollout.maxConcurrent", problems);
    checkCountOrPercent(rollout.getHaltOnFailures(), 0, "spec.rollout.haltOnFailures", problems);
  }

  private static void checkCountOrPercent(
      IntOrString value, int min, String field, List<SpecProblem> problems) {
    if (value == null) {
      return;
    }
    boolean ok =
        value.getIntVal() != null
            ? value.getIntVal() >= min
            : value.getStrVal() != null
                && PERCENT.matcher(value.getStrVal()).matches()
                && (min == 0 || !value.getStrVal().equals("0%"));
    if (!ok) {
      Object shown = value.getIntVal() != null ? value.getIntVal() : value.getStrVal();
      problems.add(
          new SpecProblem(
              Reason.InvalidRollout,
              field,
              "'" + shown + "' must be a count >= " + min + " or a percentage such as 20%"));
    }
  }

  private static void checkNodes(NodePatching nodes, List<SpecProblem> problems) {
    if (nodes == null) {
      return;
    }
    NodePatchJob patch = nodes.getPatch();
    if (patch != null) {
      String image = patch.getImage() == null ? "" : patch.getImage();
      if (!Boolean.TRUE.equals(patch.getAllowUnpinnedImage()) && !DIGEST.matcher(image).find()) {
        problems.add(
            new SpecProblem(
                Reason.InvalidNodePatching,
                "spec.nodes.patch.image",
                "'"
                    + image
                    + "' must be pinned by digest (image@sha256:...) unless"
                    + " allowUnpinnedImage is true"));
      }
      List<String> registries = patch.getAllowedRegistries();
      if (registries != null
          && !registries.isEmpty()
          && registries.stream().noneMatch(r -> image.startsWith(r + "/"))) {
        problems.add(
            new SpecProblem(
                Reason.InvalidNodePatching,
                "spec.nodes.patch.image",
                "'" + image + "' is not from an allowed registry " + registries));
      }
      checkDuration(patch.getTimeout(), "spec.nodes.patch.timeout", problems);
    }
    if (nodes.getDrain() != null) {
      checkDuration(nodes.getDrain().getTimeout(), "spec.nodes.drain.timeout", problems);
    }
    checkDuration(nodes.getReadyTimeout(), "spec.nodes.readyTimeout", problems);
  }

  private static void checkDuration(String value, String field, List<SpecProblem> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(Reason.InvalidDuration, field, e.getMessage()));
    }
  }
}
