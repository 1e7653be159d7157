import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { AppPorts } from '../../adapters/config/app-adapters';
import { runReadiness } from '../../adapters/readiness/run-readiness';
import { json } from './api-response';

const check = z.object({
  id: z.string().describe('Stable id, e.g. settings, storage, vault-role:<vault>, runbooks:<account>'),
  title: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  detail: z.string().describe('What was found (never a secret)'),
  fix: z.string().optional().describe('What to do: the setting, or the missing role, action and scope'),
});

/** The body of GET /api/readiness (also what `durable-recovery doctor --json` prints). */
export const readinessBody = z.object({
  ready: z.boolean().describe('No check failed (warnings allowed)'),
  checkedAt: z.string(),
  counts: z.object({ pass: z.number(), warn: z.number(), fail: z.number() }),
  checks: z.array(check),
});

/**
 * GET /api/readiness: whether this deployment can run its stored plans, checked without changing
 * anything. 200 when ready, 503 when a check failed; the body is the same report either way.
 */
export async function getReadiness(
  ports: Pick<AppPorts, 'config' | 'plans' | 'siteRecovery' | 'automation' | 'permissions'>,
  env: Record<string, string | undefined> = process.env,
): Promise<HttpResponseInit> {
  const report = await runReadiness({
    env,
    plans: ports.plans,
    siteRecovery: ports.siteRecovery,
    automation: ports.automation,
    permissions: ports.permissions,
    notify: ports.config.notify,
    approvalsOn: ports.config.approval.ok,
    now: () => new Date(),
  });
  return json(report.ready ? 200 : 503, report, { 'cache-control': 'no-store' });
}
