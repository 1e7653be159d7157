// A run of the shop example plan, as the approval endpoint sees it through the Durable client.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApprovalRun } from '../../../core/approvals/approval-rules';
import { validatePlan } from '../../../core/plan/validate-plan';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import type { RunInput, RunProgress } from '../../../core/run/run-types';

const shopFile = fileURLToPath(new URL('../../../plans/shop.yaml', import.meta.url));

export const SHOP_HASH = 'a'.repeat(64);
export const ALICE = { id: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'alice@contoso.com' };
export const BOB = { id: 'bbbbbbbb-0000-0000-0000-000000000002', name: 'bob@contoso.com' };
export const CAROL = { id: 'cccccccc-0000-0000-0000-000000000003', name: 'carol@contoso.com' };
export const MALLORY = { id: 'dddddddd-0000-0000-0000-000000000004', name: 'mallory@contoso.com' };

const plans = new Map<boolean, RecoveryPlan>();

/** The shop plan, optionally with four-eyes on its approval step (parsed once per variant). */
export function shopPlan(fourEyes = false): RecoveryPlan {
  const cached = plans.get(fourEyes);
  if (cached) return structuredClone(cached);
  const source = readFileSync(shopFile, 'utf8');
  const result = validatePlan(
    fourEyes ? source.replace('      quorum: 1\n', '      quorum: 1\n      fourEyes: true\n') : source,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  plans.set(fourEyes, result.plan);
  return structuredClone(result.plan);
}

export interface ShopRunOptions {
  runId?: string;
  initiator?: { id: string; name: string };
  fourEyes?: boolean;
  waitingGroup?: string | null;
  runtimeStatus?: string;
}

/** A planned failover of the shop plan, waiting at its `approve` step for dr-leads (unless told otherwise). */
export function shopRun(options: ShopRunOptions = {}): ApprovalRun {
  const plan = shopPlan(options.fourEyes ?? false);
  const input: RunInput = {
    runId: options.runId ?? 'run-0001',
    pinned: { plan, hash: SHOP_HASH },
    operation: 'planned',
    dryRun: false,
    initiator: options.initiator ?? ALICE,
    subPlans: {},
  };
  const waitingGroup = options.waitingGroup === undefined ? 'dr-leads' : options.waitingGroup;
  const progress: RunProgress = {
    phase: 'running',
    operation: 'planned',
    done: 0,
    total: plan.steps.length,
    running: [],
    waiting:
      waitingGroup === null
        ? []
        : [{ stepId: 'approve', kind: 'approval', group: waitingGroup, since: '2026-11-25T10:00:00Z' }],
    elapsedMinutes: 2,
    forecastMinutes: 47,
    rtoMinutes: plan.objectives.rtoMinutes,
    steps: [],
  };
  return { input, progress, runtimeStatus: options.runtimeStatus ?? 'Running' };
}
