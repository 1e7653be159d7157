import type * as df from 'durable-functions';
import { summarizeApplied, type AppliedChange } from '../core/network/apply-network-changes';
import {
  describeChange,
  inverseChanges,
  mergeChanges,
  type NetworkChange,
} from '../core/network/network-change';
import type { NetworkStepSpec } from '../core/plan/network-step-types';
import type { Operation } from '../core/plan/plan-types';
import type { VaultRef } from '../core/ports/site-recovery-port';
import { brief, callActivity } from './durable-tasks';

export interface NetworkStepInput {
  runId: string;
  stepId: string;
  vault: VaultRef;
  operation: Operation;
  step: NetworkStepSpec;
  purpose: 'run' | 'compensate';
  /** Run: changes earlier attempts of this step planned (their previous values are kept). Compensate: the changes to undo. */
  changes: NetworkChange[];
}

/** What NetworkStep returns; `changes` are the step's output (previous and new values). */
export interface NetworkStepResult {
  ok: boolean;
  changes: NetworkChange[];
  note?: string;
  skipped?: string;
  error?: { code: string; message: string };
}

/**
 * NetworkStep: plans the step (an activity reads, compares, and returns only what differs, with the
 * previous values), writes the plan to the audit log, then applies it (an activity reads again and
 * writes only what still differs). The plan is in the history, so a replay or a repeated apply after a
 * crash never loses the previous values nor makes a second change. A compensation applies the inverse
 * of the recorded changes, last first, and leaves alone what someone else changed since.
 */
export function* networkStep(
  context: df.OrchestrationContext,
): Generator<df.Task, NetworkStepResult, unknown> {
  const input = context.df.getInput<NetworkStepInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const audit = (record: Record<string, unknown>) =>
    callActivity(context, 'appendAudit', {
      runId: input.runId,
      record: { at: now(), stepId: input.stepId, ...record },
    });

  if (input.purpose === 'compensate') {
    const undo = inverseChanges(input.changes);
    const applied = yield* callActivity(context, 'applyNetworkChanges', { changes: undo, purpose: 'undo' });
    if (!applied.ok) return { ok: false, changes: input.changes, error: brief(applied.error) };
    yield* audit({ type: 'network-undone', kind: input.step.kind, results: applied.value.map(auditLine) });
    return (
      conflicts(applied.value, input.changes) ?? {
        ok: true,
        changes: input.changes,
        note: summarizeApplied(applied.value, 'undo'),
      }
    );
  }

  const planned = yield* callActivity(context, 'planNetworkStep', {
    vault: input.vault,
    operation: input.operation,
    step: input.step,
  });
  if (!planned.ok) return { ok: false, changes: input.changes, error: brief(planned.error) };
  if (planned.value.skipped !== undefined) {
    yield* audit({ type: 'network-skipped', kind: input.step.kind, reason: planned.value.skipped });
    return { ok: true, changes: input.changes, skipped: planned.value.skipped, note: planned.value.skipped };
  }
  const changes = mergeChanges(input.changes, planned.value.changes);
  // Recorded before any write: the previous values survive whatever happens next.
  yield* audit({
    type: 'network-planned',
    kind: input.step.kind,
    changes: changes.map((c) => ({ change: describeChange(c), target: c.target, from: c.from, to: c.to })),
    notes: planned.value.notes,
  });
  const applied = yield* callActivity(context, 'applyNetworkChanges', { changes, purpose: 'apply' });
  if (!applied.ok) return { ok: false, changes, error: brief(applied.error) };
  yield* audit({ type: 'network-applied', kind: input.step.kind, results: applied.value.map(auditLine) });
  const notes = planned.value.notes.length > 0 ? `; ${planned.value.notes.join('; ')}` : '';
  return { ok: true, changes, note: `${summarizeApplied(applied.value, 'apply')}${notes}` };
}

function auditLine(r: AppliedChange): Record<string, unknown> {
  return { change: describeChange(r.change), result: r.result };
}

function conflicts(applied: AppliedChange[], changes: NetworkChange[]): NetworkStepResult | undefined {
  const left = applied.filter((r) => r.result === 'conflict');
  if (left.length === 0) return undefined;
  return {
    ok: false,
    changes,
    error: {
      code: 'ChangedSince',
      message: `${left.length} setting(s) were changed by someone else since the step and were left alone: ${left
        .slice(0, 3)
        .map((r) => describeChange(r.change))
        .join('; ')}`,
    },
  };
}
