package io.patchwarden.operator.policy;

import io.patchwarden.api.common.Severity;
import io.patchwarden.api.endpoint.ComplianceState;
import io.patchwarden.operator.support.Timestamps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates targets against one policy at one instant: which pending updates are approved, which
 * are missing and by when they are due, and the target's compliance state. Pure and thread-safe.
 *
 * <p>Precedence of states, first match wins (docs/concepts.md):
 *
 * <ol>
 *   <li>{@code Stale} — never reported, or not seen within staleAfter: its state is unknown, and
 *       unknown is never compliant;
 *   <li>{@code Failed} — its inventory cannot be read;
 *   <li>{@code Overdue} — an approved update is missing past its deadline;
 *   <li>{@code Failed} — the last attempt to install a still-missing approved update failed;
 *   <li>{@code Missing} — approved updates are missing, none overdue;
 *   <li>{@code PendingReboot} — nothing approved is missing but a reboot is outstanding;
 *   <li>{@code Compliant}.
 * </ol>
 *
 * <p>Approval and deadlines depend on the update alone, not on the target, and a fleet shares most
 * of its updates, so each distinct update is decided once per instance: evaluating 50,000 targets
 * with 40 updates each costs a few thousand decisions and two million map lookups.
 */
public final class ComplianceEvaluator {
  private final ApprovalRules approval;
  private final DeadlineRules deadlines;
  private final KnownExploitedCatalog catalogue;
  private final Instant now;
  private final Map<Update, Verdict> verdicts = new ConcurrentHashMap<>();

  /** An update's decision, with what deadlines say about it when approved. */
  public record Verdict(
      ApprovalDecision decision, Severity severity, boolean knownExploited, Instant dueBy) {}

  public ComplianceEvaluator(
      ApprovalRules approval,
      DeadlineRules deadlines,
      KnownExploitedCatalog catalogue,
      Instant now) {
    this.approval = approval;
    this.deadlines = deadlines;
    this.catalogue = catalogue == null ? KnownExploitedCatalog.EMPTY : catalogue;
    this.now = now;
  }

  public Instant now() {
    return now;
  }

  /** The decision on one update, with its deadline. */
  public Verdict verdict(Update update) {
    if (update.firstSeen() != null) {
      // Counted from this endpoint's own first sighting: shared with no other endpoint, so
      // caching would only fill memory.
      return decide(update);
    }
    Verdict v = verdicts.get(update);
    return v != null ? v : verdicts.computeIfAbsent(update, this::decide);
  }

  private Verdict decide(Update update) {
    Instant catalogueDue = null;
    boolean knownExploited = false;
    for (String cve : update.cves()) {
      Optional<KnownExploitedCatalog.Entry> entry = catalogue.lookup(cve);
      if (entry.isPresent()) {
        knownExploited = true;
        if (entry.get().dueDate() != null) {
          // Due "by" that date: the whole day counts, in UTC.
          Instant due = entry.get().dueDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
          catalogueDue = catalogueDue == null || due.isBefore(catalogueDue) ? due : catalogueDue;
        }
      }
    }
    ApprovalDecision decision = approval.decide(update, now);
    if (!decision.approved()) {
      return new Verdict(decision, decision.severity(), knownExploited, null);
    }
    // The severity that counts is the one whose deadline comes first (the highest on a tie, or
    // when none has a deadline): "strictest" must mean "due soonest" whatever the deadlines say.
    Severity severity = decision.severity();
    Instant dueBy =
        deadlines
            .dueBy(update, severity, knownExploited, Optional.ofNullable(catalogueDue))
            .orElse(null);
    for (Severity s : decision.approvingSeverities()) {
      Instant due =
          deadlines
              .dueBy(update, s, knownExploited, Optional.ofNullable(catalogueDue))
              .orElse(null);
      if (due != null && (dueBy == null || due.isBefore(dueBy))) {
        dueBy = due;
        severity = s;
      }
    }
    return new Verdict(decision, severity, knownExploited, dueBy);
  }

  /** Below this many targets a pass runs on the calling thread; above, on every core. */
  static final int PARALLEL_FROM = 2_000;

  /**
   * Evaluates many targets, in order. Large fleets are split over the common fork-join pool: the
   * evaluation is pure and the decision cache concurrent.
   */
  public List<TargetEvaluation> evaluateAll(List<TargetFacts> targets) {
    if (targets.size() < PARALLEL_FROM) {
      List<TargetEvaluation> results = new ArrayList<>(targets.size());
      for (TargetFacts t : targets) {
        results.add(evaluate(t));
      }
      return results;
    }
    return targets.parallelStream().map(this::evaluate).toList();
  }

  public TargetEvaluation evaluate(TargetFacts target) {
    if (target.inventoryProblem() == null && (!target.reported() || target.lastSeen() == null)) {
      return unknown(target, "has not reported an inventory yet", null);
    }
    Instant staleAt =
        target.lastSeen() == null ? null : target.lastSeen().plus(target.staleAfter());
    if (staleAt != null && !now.isBefore(staleAt)) {
      return unknown(
          target,
          "not seen since "
              + target.lastSeen()
              + " (stale after "
              + io.patchwarden.operator.support.Durations.format(target.staleAfter())
              + ")",
          null);
    }
    if (target.inventoryProblem() != null) {
      return result(
          target,
          ComplianceState.Failed,
          "inventory cannot be read: " + target.inventoryProblem(),
          List.of(),
          staleAt);
    }
    List<MissingUpdate> missing = new ArrayList<>();
    Instant next = staleAt;
    for (Update update : target.updates()) {
      Verdict v = verdict(update);
      ApprovalDecision d = v.decision();
      if (d.approved()) {
        missing.add(
            new MissingUpdate(update, v.severity(), v.knownExploited(), v.dueBy(), d.approvedBy()));
        if (v.dueBy() != null && v.dueBy().isAfter(now)) {
          next = Timestamps.earlier(next, v.dueBy());
        }
      } else if (d.approvableAt() != null) {
        next = Timestamps.earlier(next, d.approvableAt());
      }
    }
    return classify(target, missing, next);
  }

  private TargetEvaluation classify(TargetFacts target, List<MissingUpdate> missing, Instant next) {
    MissingUpdate firstOverdue = null;
    int overdue = 0;
    MissingUpdate firstFailed = null;
    int failed = 0;
    for (MissingUpdate m : missing) {
      if (m.overdueAt(now)) {
        overdue++;
        if (firstOverdue == null || m.dueBy().isBefore(firstOverdue.dueBy())) {
          firstOverdue = m;
        }
      }
      if (target.failedUpdates().contains(m.update().id())) {
        failed++;
        firstFailed = firstFailed == null ? m : firstFailed;
      }
    }
    if (overdue > 0) {
      return result(
          target,
          ComplianceState.Overdue,
          count(overdue, "approved update")
              + " past the deadline, e.g. "
              + describe(firstOverdue)
              + " due "
              + firstOverdue.dueBy(),
          missing,
          next);
    }
    if (failed > 0) {
      return result(
          target,
          ComplianceState.Failed,
          "the last attempt to install "
              + count(failed, "approved update")
              + " failed, e.g. "
              + firstFailed.update().id(),
          missing,
          next);
    }
    if (!missing.isEmpty()) {
      return result(
          target,
          ComplianceState.Missing,
          count(missing.size(), "approved update") + " missing",
          missing,
          next);
    }
    if (target.rebootRequired()) {
      return result(
          target,
          ComplianceState.PendingReboot,
          "installed updates wait for a reboot",
          missing,
          next);
    }
    return result(target, ComplianceState.Compliant, null, missing, next);
  }

  private static String describe(MissingUpdate m) {
    return m.update().id()
        + " ("
        + (m.knownExploited() ? "known-exploited, " : "")
        + m.severity()
        + ")";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private TargetEvaluation unknown(TargetFacts target, String reason, Instant next) {
    return new TargetEvaluation(
        target.name(), ComplianceState.Stale, reason, List.of(), null, next);
  }

  private static TargetEvaluation result(
      TargetFacts target,
      ComplianceState state,
      String reason,
      List<MissingUpdate> missing,
      Instant next) {
    Instant dueBy = null;
    for (MissingUpdate m : missing) {
      dueBy = m.dueBy() == null ? dueBy : Timestamps.earlier(dueBy, m.dueBy());
    }
    return new TargetEvaluation(target.name(), state, reason, missing, dueBy, next);
  }
}
