// Whether a verified token may decide on the run it names, and whether a signed-in person may make
// that decision. Pure: the run's input and progress are read by the caller (from the Durable client).
import { isMember, samePrincipal } from '../run/approval-tally';
import type { Principal, RunInput, RunProgress } from '../run/run-types';
import { refuse, type ApprovalRefusal } from './approval-refusal';
import { approvalStepOf } from './approval-summary';
import type { ApprovalClaims } from './approval-token';

/** What the approval endpoint knows about a run. */
export interface ApprovalRun {
  input: RunInput;
  progress?: RunProgress;
  /** Durable runtime status (`Running`, `Pending`, `Suspended`, `Completed`, …). */
  runtimeStatus: string;
}

const ACTIVE = new Set(['Running', 'Pending', 'Suspended', 'ContinuedAsNew']);

/** The run and step the link names, when it names them (links this service sends always do). */
export interface LinkTarget {
  runId?: string;
  stepId?: string;
}

/** Checks the link against its own token; no run needed. */
export function checkLinkTarget(claims: ApprovalClaims, link: LinkTarget): ApprovalRefusal | undefined {
  if (link.runId !== undefined && link.runId !== claims.runId) return refuse('wrongRun');
  if (link.stepId !== undefined && link.stepId !== claims.stepId) return refuse('wrongStep');
  return undefined;
}

/** The group whose decision the step is waiting for now (the escalation group after a timeout). */
function waitingGroup(run: ApprovalRun, stepId: string): string | undefined {
  return run.progress?.waiting.find((w) => w.stepId === stepId && w.kind === 'approval')?.group;
}

/** Checks that the token still matches the run: same plan version, a waiting approval step, same group. */
export function checkTokenAgainstRun(claims: ApprovalClaims, run: ApprovalRun): ApprovalRefusal | undefined {
  if (run.input.runId !== claims.runId) return refuse('wrongRun');
  if (!ACTIVE.has(run.runtimeStatus)) return refuse('runNotActive');
  const step = approvalStepOf(run.input, claims.stepId);
  if (!step) return refuse('wrongStep');
  if (run.input.pinned.hash !== claims.planHash) return refuse('planChanged');
  const waiting = waitingGroup(run, claims.stepId);
  const escalation =
    step.approval.onTimeout.action === 'escalate' ? step.approval.onTimeout.group : undefined;
  if (claims.group !== step.approval.group && claims.group !== escalation) return refuse('wrongGroup');
  if (waiting === undefined) return refuse('notWaiting');
  if (waiting !== claims.group) return refuse('wrongGroup');
  return undefined;
}

/** Checks membership of the token's group and, under four-eyes, that the approver did not start the run. */
export function checkApprover(
  claims: ApprovalClaims,
  run: ApprovalRun,
  principal: Principal | undefined,
): ApprovalRefusal | undefined {
  if (!principal) return refuse('notSignedIn');
  const members = run.input.pinned.plan.approvers[claims.group] ?? [];
  if (!isMember(members, principal)) return refuse('notApprover');
  const step = approvalStepOf(run.input, claims.stepId);
  if (step?.approval.fourEyes && samePrincipal(principal, run.input.initiator)) {
    return refuse('initiator');
  }
  return undefined;
}
