import { DRILL_SCHEDULER } from './drill-history';
import { KEY_HOLDER, type ApprovalDecision, type Principal } from './run-types';

/** Who may decide an approval step, as RunPlan evaluates it. */
export interface ApprovalRule {
  /** The approver group's members (as the plan lists them: e-mail addresses or principal ids). */
  members: string[];
  quorum: number;
  fourEyes: boolean;
  initiator: Principal;
}

export type IgnoredReason = 'notInGroup' | 'fourEyes' | 'duplicate' | 'afterOutcome';

export interface ApprovalTally {
  outcome: 'pending' | 'approved' | 'rejected';
  /** Decisions that count, in arrival order. */
  accepted: ApprovalDecision[];
  ignored: { decision: ApprovalDecision; reason: IgnoredReason }[];
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A principal matches a member entry by id or by name (e-mail), case-insensitively. */
export function isMember(members: readonly string[], who: Principal): boolean {
  return members.some((m) => same(m, who.id) || same(m, who.name));
}

/** Two principals are the same person when their ids or their names (e-mail) match, case-insensitively. */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return same(a.id, b.id) || same(a.name, b.name);
}

/** Runs started by a key or a timer have no person behind them whom four-eyes could exclude. */
export function isPerson(principal: Principal): boolean {
  return principal.id !== KEY_HOLDER.id && principal.id !== DRILL_SCHEDULER.id;
}

/**
 * The approvals a step needs: its quorum, and under four-eyes at least two different people when the
 * run has no signed-in initiator (else one key holder could start the run and approve it unseen).
 */
export function requiredApprovals(rule: Pick<ApprovalRule, 'quorum' | 'fourEyes' | 'initiator'>): number {
  return rule.fourEyes && !isPerson(rule.initiator) ? Math.max(rule.quorum, 2) : rule.quorum;
}

/**
 * Counts decisions in arrival order: a decision whose id was seen before, non-members, the initiator under four-eyes, and a second
 * decision by the same person are ignored; one rejection by an eligible member rejects; `quorum`
 * distinct approvals (`requiredApprovals`) approve. Decisions after the outcome is known are ignored too.
 */
export function tallyApproval(rule: ApprovalRule, decisions: readonly ApprovalDecision[]): ApprovalTally {
  const tally: ApprovalTally = { outcome: 'pending', accepted: [], ignored: [] };
  const required = requiredApprovals(rule);
  for (const decision of decisions) {
    let reason: IgnoredReason | undefined;
    const seenId =
      decision.id !== undefined &&
      [...tally.accepted, ...tally.ignored.map((i) => i.decision)].some((d) => d.id === decision.id);
    if (seenId) reason = 'duplicate';
    else if (tally.outcome !== 'pending') reason = 'afterOutcome';
    else if (!isMember(rule.members, decision.approver)) reason = 'notInGroup';
    else if (rule.fourEyes && samePrincipal(decision.approver, rule.initiator)) reason = 'fourEyes';
    else if (tally.accepted.some((d) => samePrincipal(d.approver, decision.approver))) reason = 'duplicate';
    if (reason) {
      tally.ignored.push({ decision, reason });
      continue;
    }
    tally.accepted.push(decision);
    if (!decision.approve) tally.outcome = 'rejected';
    else if (tally.accepted.filter((d) => d.approve).length >= required) tally.outcome = 'approved';
  }
  return tally;
}
