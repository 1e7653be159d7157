import fc from 'fast-check';
import { OPERATIONS } from '../../../../core/plan/plan-types';
import type { PlanDoc } from './plan-fixtures';

// Generators of plan documents for the property tests. Every document from `validPlanDocument` must
// pass validation: ids are unique, dependencies only point backwards (so there is no cycle), items
// are unique, approver groups exist and quorums fit.

const SUB = '00000000-0000-0000-0000-000000000000';
const vmId = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/${name}`;
const APPROVERS = {
  'g-a': ['a1@contoso.com', 'a2@contoso.com', 'a3@contoso.com'],
  'g-b': ['b1@contoso.com'],
};

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);
const recoveryPoint = fc.oneof(
  fc.constantFrom('latest', 'latestProcessed', 'latestApplicationConsistent', 'latestCrashConsistent'),
  fc.stringMatching(/^rp-[a-z0-9]{1,8}$/).map((id) => ({ id })),
);
/** Whole minutes mostly, with some fractions; never below 1 (the smallest minimum of any duration but waits). */
const minutes = (max: number) =>
  fc.oneof(
    fc.integer({ min: 1, max }),
    fc.constantFrom(1.5, 2.25).filter((m) => m <= max),
  );
const when = fc.subarray([...OPERATIONS], { minLength: 1 });
const onFailure = fc.oneof(
  fc.constantFrom('stop', 'continue', 'retry', 'ask'),
  fc.record(
    { action: fc.constant('ask'), group: fc.constantFrom('g-a', 'g-b'), timeoutMinutes: minutes(120) },
    { requiredKeys: ['action'] },
  ),
  fc.record(
    {
      action: fc.constant('retry'),
      attempts: fc.integer({ min: 1, max: 20 }),
      backoffSeconds: fc.integer({ min: 0, max: 60 }),
      backoffFactor: fc.constantFrom(1, 1.5, 2),
      maxBackoffSeconds: fc.integer({ min: 60, max: 3600 }),
      then: fc.constantFrom('stop', 'continue', 'ask'),
    },
    { requiredKeys: ['action'] },
  ),
);
const runbook = (i: number) =>
  fc.record(
    {
      account: fc.constant('aa-dr'),
      name: fc.constant(`Runbook${i}`),
      parameters: fc.dictionary(
        fc.stringMatching(/^[A-Z][a-zA-Z]{0,8}$/),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
        {
          maxKeys: 3,
        },
      ),
      timeoutMinutes: minutes(180),
    },
    { requiredKeys: ['account', 'name'] },
  );

function kindOf(i: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    fc
      .array(
        fc.tuple(fc.constantFrom('name', 'vmId', 'plain'), fc.option(recoveryPoint, { nil: undefined })),
        { minLength: 1, maxLength: 4 },
      )
      .map((items) => ({
        failover: {
          items: items.map(([form, point], j) => {
            const name = `vm-${i}-${j}`;
            if (form === 'plain') return name;
            const base = form === 'vmId' ? { vmId: vmId(name) } : { name };
            return point === undefined ? base : { ...base, recoveryPoint: point };
          }),
        },
      })),
    runbook(i).map((spec) => ({ runbook: spec })),
    fc
      .record({
        group: fc.constantFrom('g-a', 'g-b'),
        quorumPick: fc.integer({ min: 1, max: 3 }),
        timeoutMinutes: minutes(600),
        onTimeout: fc.constantFrom('abort', 'continue', 'escalate', undefined),
        fourEyes: fc.boolean(),
        message: fc.option(text, { nil: undefined }),
      })
      .map(({ group, quorumPick, onTimeout, fourEyes, ...rest }) => {
        const size = APPROVERS[group].length;
        const approval: Record<string, unknown> = { group, quorum: Math.min(quorumPick, size), ...rest };
        if (rest.message === undefined) delete approval.message;
        if (fourEyes && size >= 2) approval.fourEyes = true;
        if (onTimeout !== undefined) approval.onTimeout = onTimeout;
        if (onTimeout === 'escalate') approval.escalateTo = group === 'g-a' ? 'g-b' : 'g-a';
        return { approval };
      }),
    minutes(600).map((m) => ({ wait: { minutes: m } })),
    fc
      .record({
        expectStatus: fc.constantFrom(200, [200, 204]),
        timeoutMinutes: minutes(60),
        intervalSeconds: fc.integer({ min: 1, max: 600 }),
      })
      .map(({ expectStatus, ...rest }) => ({
        check: { http: { url: `https://app${i}.contoso.com/health`, expectStatus }, ...rest },
      })),
    fc
      .constantFrom('POST', 'PUT', 'GET')
      .map((method) => ({ webhook: { url: `https://hooks.contoso.com/step/${i}`, method } })),
    fc.integer({ min: 0, max: 3 }).map((n) => ({ plan: { name: `other-plan-${n}` } })),
  );
}

function step(i: number, earlier: string[]): fc.Arbitrary<PlanDoc> {
  return fc
    .record({
      kind: kindOf(i),
      dependsOn: fc.subarray(earlier),
      when: fc.option(when, { nil: undefined }),
      onFailure: fc.option(onFailure, { nil: undefined }),
      budgetMinutes: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      description: fc.option(text, { nil: undefined }),
      compensate: fc.constantFrom('default', 'none', 'special'),
    })
    .chain(({ kind, compensate, ...rest }) => {
      const doc: PlanDoc = { id: `s${i}`, ...kind };
      for (const [key, value] of Object.entries(rest))
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) doc[key] = value;
      if (compensate === 'none') doc.compensation = 'none';
      if (compensate === 'special') {
        if (kind.failover || kind.plan) doc.compensation = 'auto';
        else return runbook(100 + i).map((spec) => ({ ...doc, compensation: { runbook: spec } }));
      }
      return fc.constant(doc);
    });
}

const MAX_STEPS = 7;
const IDS = Array.from({ length: MAX_STEPS }, (_, i) => `s${i}`);
// Built once: step i may depend on any of s0..s(i-1), whatever the plan's length.
const STEPS = IDS.map((_, i) => step(i, IDS.slice(0, i)));

/** A valid plan document, in steps form or groups form. */
export const validPlanDocument: fc.Arbitrary<PlanDoc> = fc
  .integer({ min: 1, max: MAX_STEPS })
  .chain((n) => {
    const ids = IDS.slice(0, n);
    return fc.record({
      steps: fc.tuple(...STEPS.slice(0, n)),
      cuts: fc.subarray(ids.slice(1).map((_, i) => i + 1)),
      asGroups: fc.boolean(),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
      description: fc.option(text, { nil: undefined }),
      rtoMinutes: fc.integer({ min: 1, max: 600 }),
      defaults: fc.option(
        fc.record(
          {
            recoveryPoint,
            onFailure,
            retry: fc.record({
              attempts: fc.integer({ min: 1, max: 5 }),
              backoffSeconds: fc.integer({ min: 1, max: 30 }),
            }),
            when: when,
            budgetMinutes: fc.record({ failover: fc.integer({ min: 1, max: 30 }) }),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      drill: fc.option(
        fc.record(
          {
            schedule: fc.constantFrom('0 0 2 * * 6', '0 30 1 1 * *', '*/30 * * * * MON-FRI'),
            autoApprove: fc.boolean(),
            cleanup: fc.record({
              policy: fc.constantFrom('always', 'onSuccess', 'manual'),
              delayMinutes: fc.integer({ min: 0, max: 600 }),
            }),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    });
  })
  .map(({ steps, cuts, asGroups, name, description, rtoMinutes, defaults, drill }) => {
    const doc: PlanDoc = {
      apiVersion: 'durable-recovery/v1',
      kind: 'RecoveryPlan',
      metadata: { name, owners: ['dr@contoso.com'], ...(description !== undefined ? { description } : {}) },
      vault: { subscriptionId: SUB, resourceGroup: 'rg-dr', name: 'vault-dr' },
      objectives: { rtoMinutes, rpoMinutes: 15 },
      approvers: structuredClone(APPROVERS),
      defaults: { askGroup: 'g-a', ...(defaults ?? {}) },
    };
    if (drill)
      doc.drill = {
        ...drill,
        testNetworkId: `/subscriptions/${SUB}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill`,
      };
    if (asGroups) {
      const bounds = [0, ...cuts, steps.length];
      doc.groups = bounds
        .slice(1)
        .map((end, g) => ({ name: `group-${g + 1}`, steps: steps.slice(bounds[g], end) }));
    } else doc.steps = [...steps];
    return doc;
  });

/** The list of steps of a document and the JSON path prefix of its entries. */
export function stepList(doc: PlanDoc): { steps: PlanDoc[]; base: string } {
  if (doc.groups) return { steps: doc.groups[0].steps, base: 'groups[0].steps' };
  return { steps: doc.steps, base: 'steps' };
}
