// What approval requests and run notices say, as plain facts. The Teams card and the e-mail render
// the same facts, each with its own escaping, so the two channels never disagree.
import type { Operation } from '../plan/plan-types';
import type { RunPhase } from '../run/run-types';
import type { ApprovalLinks } from './approval-links';
import type { ApprovalSummary } from './approval-summary';

export interface Fact {
  title: string;
  value: string;
}

/** A message to people: a title, a line of text, facts and links, rendered per channel. */
export interface NoticeContent {
  title: string;
  tone: 'attention' | 'good' | 'warning' | 'accent';
  text?: string;
  facts: Fact[];
  links: { title: string; url: string; style?: 'positive' | 'destructive' }[];
}

/** A run's state worth telling people about. */
export interface RunNotice {
  /**
   * `progress`: something people should know while the run goes on (RTO at risk, a cancel requested);
   * `failure`: the run stopped on a failure or waits for a decision on one; `completion`: it ended.
   */
  kind: 'progress' | 'failure' | 'completion';
  runId: string;
  planName: string;
  operation: Operation;
  drill: boolean;
  phase: RunPhase;
  done: number;
  total: number;
  elapsedMinutes: number;
  forecastMinutes: number;
  rtoMinutes: number;
  failedSteps: { id: string; message: string }[];
  /** One line saying why this notice was sent (what happened, what is asked of the reader). */
  text?: string;
  /** The plan's RPO objective and the worst recovery point age the run used (completion notices). */
  rpoMinutes?: number;
  achievedRpoMinutes?: number;
  /** A page where people can follow the run (never a Durable management URL: those embed a key). */
  statusUrl?: string;
  reportUrl?: string;
}

const MAX_ITEMS_LISTED = 10;

function itemsText(items: string[]): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, MAX_ITEMS_LISTED).join(', ');
  return items.length > MAX_ITEMS_LISTED ? `${shown} and ${items.length - MAX_ITEMS_LISTED} more` : shown;
}

const operationText = (operation: Operation, drill: boolean, dryRun = false): string =>
  `${operation}${drill ? ' (scheduled drill)' : ''}${dryRun ? ' (dry run)' : ''}`;

export function approvalRequestContent(
  summary: ApprovalSummary,
  links: ApprovalLinks,
  expiresAt: Date,
): NoticeContent {
  const step = summary.step;
  return {
    title: `Approval needed: ${summary.planName} (${summary.operation})`,
    tone: 'attention',
    text: step.message ?? step.description ?? `Step "${step.id}" is waiting for the ${step.group} group.`,
    facts: [
      { title: 'Plan', value: `${summary.planName} (version ${summary.planHash.slice(0, 12)})` },
      { title: 'Operation', value: operationText(summary.operation, summary.drill, summary.dryRun) },
      { title: 'Initiator', value: summary.initiator.name },
      { title: 'Items', value: `${summary.items.length}: ${itemsText(summary.items)}` },
      {
        title: 'Forecast RTO',
        value: `${summary.forecastRtoMinutes} min (objective ${summary.rtoMinutes} min)`,
      },
      {
        title: 'Step',
        value: `${step.id}, approver group ${step.group}${step.quorum > 1 ? `, ${step.quorum} approvals needed` : ''}`,
      },
      ...(step.fourEyes ? [{ title: 'Four-eyes', value: 'the initiator cannot approve' }] : []),
      { title: 'Link expires', value: `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` },
      { title: 'Run', value: summary.runId },
    ],
    links: [
      { title: 'Approve', url: links.approveUrl, style: 'positive' },
      { title: 'Reject', url: links.rejectUrl, style: 'destructive' },
    ],
  };
}

/** "Drill succeeded", "Run failed", "Run in progress", … so the outcome reads from the title alone. */
function noticeTitle(notice: RunNotice): string {
  const subject = notice.drill ? 'Drill' : 'Run';
  if (notice.kind === 'completion') return `${subject} ${notice.phase}`;
  if (notice.kind === 'failure')
    return `${subject} ${notice.phase === 'running' ? 'needs a decision' : 'failed'}`;
  return `${subject} ${notice.phase === 'cancelling' ? 'cancelling' : 'in progress'}`;
}

export function runNoticeContent(notice: RunNotice): NoticeContent {
  const failed = notice.phase === 'failed' || (notice.kind === 'failure' && notice.phase !== 'running');
  const minutes = notice.kind === 'completion' ? notice.elapsedMinutes : notice.forecastMinutes;
  const late = minutes > notice.rtoMinutes;
  const tone: NoticeContent['tone'] =
    failed || notice.kind === 'failure'
      ? 'attention'
      : notice.phase === 'cancelled' || notice.phase === 'cancelling' || late
        ? 'warning'
        : notice.kind === 'completion'
          ? 'good'
          : 'accent';
  return {
    title: `${noticeTitle(notice)}: ${notice.planName} (${notice.operation})`,
    tone,
    ...(notice.text !== undefined ? { text: notice.text } : {}),
    facts: [
      { title: 'Plan', value: notice.planName },
      { title: 'Operation', value: operationText(notice.operation, notice.drill) },
      { title: 'Phase', value: notice.phase },
      { title: 'Steps', value: `${notice.done} of ${notice.total} done` },
      {
        title: notice.kind === 'completion' ? 'RTO' : 'Forecast RTO',
        value: `${notice.kind === 'completion' ? notice.elapsedMinutes : notice.forecastMinutes} min (objective ${notice.rtoMinutes} min)`,
      },
      ...(notice.achievedRpoMinutes !== undefined && notice.rpoMinutes !== undefined
        ? [{ title: 'RPO', value: `${notice.achievedRpoMinutes} min (objective ${notice.rpoMinutes} min)` }]
        : []),
      ...notice.failedSteps.map((s) => ({ title: `Failed: ${s.id}`, value: s.message })),
      { title: 'Run', value: notice.runId },
    ],
    links: [
      ...(notice.statusUrl ? [{ title: 'Open run', url: notice.statusUrl }] : []),
      ...(notice.reportUrl ? [{ title: 'Evidence report', url: notice.reportUrl }] : []),
    ],
  };
}
