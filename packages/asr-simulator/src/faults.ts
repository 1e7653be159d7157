import { z } from 'zod';
import { seededRandom } from './random';

/** A fault rule as posted to `/_sim/faults`. Rates are drawn from a PRNG seeded per rule, so runs replay. */
export const faultSchema = z
  .object({
    kind: z.enum(['throttle', 'error', 'reset', 'delay', 'failJob', 'stuckJob']),
    /** Operation name (`ReplicationProtectedItems.UnplannedFailover`); a trailing `*` matches a prefix. */
    operation: z.string().min(1).optional(),
    method: z.string().min(1).optional(),
    pathContains: z.string().min(1).optional(),
    /** Probability in [0,1] that a matching request is hit (default 1). */
    rate: z.number().min(0).max(1).default(1),
    /** Stop after this many hits. */
    count: z.number().int().positive().optional(),
    /** Active for this many wall milliseconds after it is added. */
    windowMs: z.number().int().positive().optional(),
    retryAfterSeconds: z.number().int().nonnegative().default(1),
    status: z.number().int().min(400).max(599).optional(),
    code: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    delayMs: z.number().int().nonnegative().default(0),
    /** VM names (or plan names) whose jobs fail or hang (failJob / stuckJob). */
    items: z.array(z.string().min(1)).optional(),
    seed: z.number().int().default(1),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if ((rule.kind === 'failJob' || rule.kind === 'stuckJob') && !rule.items?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: `${rule.kind} needs items: the VM or plan names whose jobs it affects`,
      });
    if (rule.kind === 'delay' && rule.delayMs === 0)
      ctx.addIssue({ code: 'custom', path: ['delayMs'], message: 'delay needs delayMs > 0' });
  });
export type FaultInput = z.input<typeof faultSchema>;
type FaultRule = z.infer<typeof faultSchema> & {
  id: number;
  hits: number;
  addedAt: number;
  random: () => number;
};

export interface RequestFault {
  kind: 'throttle' | 'error' | 'reset' | 'delay';
  status: number;
  retryAfterSeconds: number;
  code: string;
  message: string;
  delayMs: number;
}

/** Holds fault rules and decides, per request or job, whether one fires. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: unknown): { id: number } {
    const rule = faultSchema.parse(input);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0, addedAt: Date.now(), random: seededRandom(rule.seed) });
    return { id };
  }

  list(): object[] {
    return this.rules.map(({ random: _random, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  /** The first request-level fault that fires for this request, if any. Delay faults combine with others. */
  forRequest(method: string, path: string, operation: string): RequestFault[] {
    const fired: RequestFault[] = [];
    for (const rule of this.rules) {
      if (rule.kind === 'failJob' || rule.kind === 'stuckJob') continue;
      if (!this.active(rule) || !matches(rule, method, path, operation)) continue;
      if (rule.random() >= rule.rate) continue;
      rule.hits++;
      const status = rule.status ?? (rule.kind === 'throttle' ? 429 : 500);
      fired.push({
        kind: rule.kind,
        status,
        retryAfterSeconds: rule.retryAfterSeconds,
        code:
          rule.code ??
          (rule.kind === 'throttle'
            ? 'TooManyRequests'
            : status === 503
              ? 'ServiceUnavailable'
              : 'InternalServerError'),
        message:
          rule.message ??
          (rule.kind === 'throttle'
            ? 'The request was throttled (simulated fault).'
            : `Simulated ${status} fault.`),
        delayMs: rule.delayMs,
      });
      if (rule.kind !== 'delay') break;
    }
    return fired;
  }

  /** Whether the job for `target` (VM or plan name) running `operation` must fail or hang. */
  forJob(
    target: string,
    operation: string,
  ): { kind: 'failJob' | 'stuckJob'; code: string; message: string } | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== 'failJob' && rule.kind !== 'stuckJob') continue;
      if (!this.active(rule) || !rule.items?.some((name) => name.toLowerCase() === target.toLowerCase()))
        continue;
      if (rule.operation && !operationMatches(rule.operation, operation)) continue;
      if (rule.random() >= rule.rate) continue;
      rule.hits++;
      return {
        kind: rule.kind,
        code: rule.code ?? '28020',
        message: rule.message ?? 'The requested operation failed. (simulated fault)',
      };
    }
    return undefined;
  }

  private active(rule: FaultRule): boolean {
    if (rule.count !== undefined && rule.hits >= rule.count) return false;
    if (rule.windowMs !== undefined && Date.now() - rule.addedAt > rule.windowMs) return false;
    return true;
  }
}

function operationMatches(pattern: string, operation: string): boolean {
  const p = pattern.toLowerCase();
  const o = operation.toLowerCase();
  return p.endsWith('*') ? o.startsWith(p.slice(0, -1)) : o === p;
}

function matches(rule: FaultRule, method: string, path: string, operation: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.pathContains && !path.toLowerCase().includes(rule.pathContains.toLowerCase())) return false;
  if (rule.operation && !operationMatches(rule.operation, operation)) return false;
  return true;
}
