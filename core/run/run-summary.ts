import type { Operation } from '../plan/plan-types';
import type { RunPhase, RunProgress, StepRecord } from './run-types';

/** What the summary is made of: the run's phase and steps, who it waits for, and why it stopped. */
export interface SummaryInput {
  runId: string;
  operation: Operation;
  dryRun: boolean;
  phase: RunPhase;
  records: readonly StepRecord[];
  waiting: RunProgress['waiting'];
  stopReason?: string;
}

/** The summary stays one readable line in a status loop; custom status must stay small too. */
const MAX_SUMMARY = 600;
const short = (text: string, max = 160): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * One human line saying what the run is doing and, above all, whom it waits for and how they answer:
 * `waiting for a decision from dr-leads on sql: retry, skip or abort (POST /api/runs/<id>/decisions)`.
 * Shown as `progress.summary` by GET /api/runs/{id}; a status loop prints it as it is.
 */
export function runSummary(input: SummaryInput): string {
  const { runId, phase, records } = input;
  const parts: string[] = [];
  for (const wait of input.waiting)
    parts.push(waitLine(runId, wait, records.find((r) => r.id === wait.stepId)?.error?.message));
  const asked = new Set(input.waiting.map((w) => w.stepId));
  for (const r of records) {
    if (r.status !== 'waiting' || asked.has(r.id)) continue;
    // A retry back-off: the step failed and will run again.
    parts.push(
      `${r.id} failed${r.error ? ` (${short(r.error.message)})` : ''}${r.note ? `; ${r.note}` : ''}`,
    );
  }
  const running = records.filter((r) => r.status === 'running').map((r) => r.id);
  if (running.length > 0) parts.push(`running ${running.join(', ')}`);
  const head = headline(input);
  const line = [head, ...parts].filter((p) => p !== '').join('; ');
  return short(line || phase, MAX_SUMMARY);
}

/** Whom the run waits for, on which step, and where their answer goes (the run people know: `runId`). */
export function waitLine(runId: string, wait: RunProgress['waiting'][number], error?: string): string {
  return wait.kind === 'approval'
    ? `waiting for approval from ${wait.group} on ${wait.stepId} (the links they were sent, or POST /api/runs/${runId}/approvals)`
    : `waiting for a decision from ${wait.group} on ${wait.stepId}: retry, skip or abort (POST /api/runs/${runId}/decisions)` +
        (error ? ` after: ${short(error)}` : '');
}

function headline(input: SummaryInput): string {
  switch (input.phase) {
    case 'preflight':
      return input.dryRun
        ? 'dry run: reading every item, runbook and approver group; nothing is changed'
        : `checking that every item allows ${input.operation} before anything changes`;
    case 'running':
      return '';
    case 'cancelling':
      return 'cancelling: steps in flight finish, then what was done is undone';
    case 'compensating':
      return 'undoing what the run did';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return `failed${input.stopReason ? `: ${input.stopReason}` : ''}`;
    case 'cancelled':
      return `cancelled${input.stopReason ? `: ${input.stopReason}` : ''}`;
  }
}
