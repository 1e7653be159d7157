// What RunPlan tells people, built from its state alone (deterministic on replay), and how a sent (or
// failed) notification is recorded in the audit log. Sending is the notify activities' job.
import { summarizeRun } from '../approvals/approval-summary';
import type { RunNotice } from '../approvals/notice-content';
import {
  NOTIFY_ACTIVITIES,
  type NotifyApprovalInput,
  type NotifyResult,
  type NotifyRunInput,
} from '../approvals/notify-activities';
import { activityFailureInfo } from './activity-failure';
import type { EvidenceReport } from './evidence-report';
import type { RunProgress } from './run-types';
import type { RunState } from './run-state';

/** What a notification was about, as the audit log names it. */
export type NoticeWhat =
  | 'approval-request'
  | 'escalation'
  | 'decision-request'
  | 'rto-at-risk'
  | 'failure'
  | 'cancel'
  | 'completion';

/** A notify activity scheduled (or to schedule) by RunPlan. */
export interface NoticeCall {
  what: NoticeWhat;
  stepId?: string;
  name: (typeof NOTIFY_ACTIVITIES)[keyof typeof NOTIFY_ACTIVITIES];
  input: NotifyApprovalInput | NotifyRunInput;
}

const MAX_FAILED_LISTED = 5;
const isEmail = (value: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
const unique = (values: string[]): string[] => [...new Set(values)];

/** Asks `group` to approve `stepId`; the links expire with the wait (`expiresInMinutes`). */
export function approvalRequest(
  run: RunState,
  progress: RunProgress,
  stepId: string,
  group: string,
  expiresInMinutes: number,
  what: 'approval-request' | 'escalation' = 'approval-request',
): NoticeCall {
  const summary = summarizeRun(run.input, progress, stepId);
  return {
    what,
    stepId,
    name: NOTIFY_ACTIVITIES.notifyApproval,
    input: {
      summary: { ...summary, step: { ...summary.step, group } },
      members: run.plan.approvers[group] ?? [],
      expiresInMinutes,
    },
  };
}

/**
 * Run notices go to the Teams channel of every approver group of the plan (the notifier posts once per
 * distinct webhook, `*` serving groups without their own) and by e-mail to the plan's owners and the
 * initiator; `extraGroup` (the group asked for a decision) also gets them by e-mail.
 */
function recipients(run: RunState, extraGroup?: string): Pick<NotifyRunInput, 'groups' | 'emails'> {
  const groups = unique([...(extraGroup ? [extraGroup] : []), ...Object.keys(run.plan.approvers)]);
  return {
    groups: groups.length > 0 ? groups : ['*'],
    emails: unique(
      [
        ...run.plan.metadata.owners,
        run.input.initiator.name,
        ...(extraGroup ? (run.plan.approvers[extraGroup] ?? []) : []),
      ].filter(isEmail),
    ),
  };
}

function failedSteps(run: RunState): RunNotice['failedSteps'] {
  return run.records
    .filter((r) => r.status === 'failed' || (r.status === 'continued' && r.error))
    .slice(0, MAX_FAILED_LISTED)
    .map((r) => ({ id: r.id, message: (r.error?.message ?? r.note ?? 'failed').slice(0, 300) }));
}

function noticeOf(run: RunState, kind: RunNotice['kind'], progress: RunProgress, text: string): RunNotice {
  return {
    kind,
    runId: run.input.runId,
    planName: run.plan.metadata.name,
    operation: run.input.operation,
    drill: run.input.drill !== undefined,
    phase: progress.phase,
    done: progress.done,
    total: progress.total,
    elapsedMinutes: progress.elapsedMinutes,
    forecastMinutes: progress.forecastMinutes,
    rtoMinutes: progress.rtoMinutes,
    failedSteps: failedSteps(run),
    text,
  };
}

/** A run notice about the run as it stands; `askGroup` is the group a decision is asked of. */
export function runNotice(
  run: RunState,
  what: Exclude<NoticeWhat, 'approval-request' | 'escalation' | 'completion'>,
  progress: RunProgress,
  text: string,
  options: { stepId?: string; askGroup?: string } = {},
): NoticeCall {
  const kind = what === 'failure' || what === 'decision-request' ? 'failure' : 'progress';
  const notice = noticeOf(run, kind, progress, text);
  // The run has stopped scheduling and will end failed once the steps in flight finish.
  if (what === 'failure') notice.phase = 'failed';
  return {
    what,
    ...(options.stepId ? { stepId: options.stepId } : {}),
    name: NOTIFY_ACTIVITIES.notifyRun,
    input: { notice, ...recipients(run, options.askGroup) },
  };
}

/** The notice at the end: outcome, RTO against the objective, RPO when measured, and the report. */
export function completionNotice(run: RunState, report: EvidenceReport, progress: RunProgress): NoticeCall {
  // An RTO is met or missed only by a run that recovered; a failed or cancelled run just took its time.
  const rto =
    report.outcome === 'succeeded'
      ? `RTO ${report.rtoMinutes} min against an objective of ${report.objectives.rtoMinutes} min (${report.rtoMet ? 'met' : 'missed'})`
      : `ended after ${report.rtoMinutes} min (RTO objective ${report.objectives.rtoMinutes} min)`;
  const rpo =
    report.achievedRpoMinutes !== undefined
      ? `, RPO ${report.achievedRpoMinutes} min against ${report.objectives.rpoMinutes} min (${report.rpoMet ? 'met' : 'missed'})`
      : '';
  const cleanup = report.compensations.length > 0 ? `; ${report.compensations.length} undo step(s) ran` : '';
  const notice: RunNotice = {
    ...noticeOf(run, 'completion', progress, `${report.outcome}: ${rto}${rpo}${cleanup}.`),
    phase: report.outcome,
    elapsedMinutes: report.rtoMinutes,
    rpoMinutes: report.objectives.rpoMinutes,
    ...(report.achievedRpoMinutes !== undefined ? { achievedRpoMinutes: report.achievedRpoMinutes } : {}),
  };
  return {
    what: 'completion',
    name: NOTIFY_ACTIVITIES.notifyRun,
    input: { notice, ...recipients(run) },
  };
}

const NO_CHANNEL = 'no channel configured for these recipients (TEAMS_WEBHOOK_URLS, e-mail settings)';

/**
 * The report's lines for a notification that failed: `<what> <stepId>: <reason>`. Nobody configured
 * (a lab without channels) is left to the audit log; the report lists what went wrong.
 */
export function reportWarnings(call: NoticeCall, audit: Record<string, unknown>): string[] {
  const warnings = (audit.warnings as string[] | undefined) ?? [];
  const what = `${call.what}${call.stepId ? ` ${call.stepId}` : ''}`;
  return warnings.filter((w) => w !== NO_CHANNEL).map((w) => `${what}: ${w}`);
}

/**
 * The audit record of a notification: where it went, and a warning for every channel that failed (or
 * when none is configured). A failed notification is recorded here; it never fails the run.
 */
export function noticeAudit(call: NoticeCall, faulted: boolean, value: unknown): Record<string, unknown> {
  const base = {
    type: 'notification',
    what: call.what,
    ...(call.stepId ? { stepId: call.stepId } : {}),
    ...('summary' in call.input ? { group: call.input.summary.step.group } : {}),
  };
  if (faulted) {
    return { ...base, ok: false, warnings: [`not sent: ${activityFailureInfo(value).message}`] };
  }
  const result = value as NotifyResult;
  const warnings = [
    ...result.teams.filter((t) => !t.ok).map((t) => `Teams ${t.channel}: ${t.error ?? 'failed'}`),
    ...result.emails.filter((e) => !e.ok).map((e) => `e-mail ${e.to}: ${e.error ?? 'failed'}`),
  ];
  const teams = result.teams.filter((t) => t.ok).map((t) => t.channel);
  const emails = result.emails.filter((e) => e.ok).map((e) => e.to);
  if (teams.length === 0 && emails.length === 0 && warnings.length === 0) warnings.push(NO_CHANNEL);
  return {
    ...base,
    ok: warnings.length === 0,
    sent: { teams, emails },
    ...(result.tokenIds.length > 0 ? { tokenIds: result.tokenIds } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
