import { z } from 'zod';
import type { ActivityInput, ActivityName } from '../../core/run/activity-contracts';
import { decisionIdPattern } from '../../core/run/decision-record';
import { reprotectSettingsSchema } from '../../core/items/reprotect-settings';

const text = (max: number): z.ZodString => z.string().min(1, { error: 'must not be empty' }).max(max);

const vault = z.object({
  subscriptionId: text(64),
  resourceGroup: text(90),
  name: text(50),
});

const armId = z.string().regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i, {
  error: 'must be an ARM resource id (/subscriptions/…/resourceGroups/…/providers/…)',
});

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const jobName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, {
  error: "must be 1-128 letters, digits, '-' or '_' (a GUID derived from run and step)",
});

const itemRef = z.object({ by: z.enum(['name', 'vmId']), ref: text(400) });

const itemAction = z.enum([
  'testFailover',
  'testFailoverCleanup',
  'plannedFailover',
  'unplannedFailover',
  'failoverCommit',
  'failoverCancel',
  'reprotect',
  'applyRecoveryPoint',
  'failback',
]);

const stringMap = z.record(z.string(), z.string({ error: 'parameter values must be strings' }));

const account = { subscriptionId: text(64), resourceGroup: text(90), account: text(50) };

/**
 * What each activity accepts. Orchestrations are the only callers, but their inputs come from plans
 * and API requests: a malformed one fails the activity as terminal `InvalidActivityInput` naming the
 * field, before any call to Azure.
 */
export const activityInputs: { [N in ActivityName]: z.ZodType<ActivityInput<N>> } = {
  readItem: z.object({
    vault,
    item: itemRef,
  }),
  listRecoveryPoints: z.object({ vault, itemId: armId }),
  startItemAction: z.object({
    vault,
    itemId: armId,
    action: itemAction,
    recoveryPointId: armId.optional(),
    testNetworkId: armId.optional(),
    runStartedAt: isoTime,
    reprotect: reprotectSettingsSchema.optional(),
  }),
  startItemActionByRef: z.object({
    vault,
    item: itemRef,
    action: itemAction,
    recoveryPoint: z
      .union([
        z.object({
          type: z.enum(['latest', 'latestProcessed', 'latestApplicationConsistent', 'latestCrashConsistent']),
        }),
        z.object({ type: z.literal('id'), id: text(1000) }),
      ])
      .optional(),
    testNetworkId: armId.optional(),
    runStartedAt: isoTime,
  }),
  readJob: z.object({ vault, jobName }),
  pollItemJob: z.object({ vault, jobName, item: itemRef }),
  startRunbook: z.object({
    runbook: z.object({
      account: text(50),
      name: text(63),
      resourceGroup: text(90),
      subscriptionId: text(64),
      parameters: stringMap,
      timeoutMinutes: z.number().positive(),
    }),
    jobName,
    parameters: stringMap,
  }),
  readRunbookJob: z.object({ ...account, jobName }),
  runbookExists: z.object({ ...account, runbook: text(63) }),
  httpCall: z.object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    method: z.string().regex(/^[A-Z]+$/, { error: 'must be an upper-case HTTP method' }),
    headers: stringMap,
    body: z.string().optional(),
    timeoutSeconds: z.number().positive().max(230, { error: 'must be at most 230 (the HTTP trigger limit)' }),
  }),
  writeReport: z.looseObject({
    schema: z.literal('durable-recovery/evidence-report/v1'),
    runId: text(128),
  }) as unknown as z.ZodType<ActivityInput<'writeReport'>>,
  appendAudit: z.object({ runId: text(128), record: z.record(z.string(), z.unknown()) }),
  readAlerts: z.object({ rules: z.array(text(1024)).min(1).max(50) }),
  // Built by NetworkStep from a validated plan; checked here for shape (kind and the change list).
  planNetworkStep: z.looseObject({
    vault,
    operation: z.enum(['test', 'planned', 'unplanned', 'failback', 'commit', 'reprotect', 'cleanup']),
    step: z.looseObject({ kind: text(40), spec: z.looseObject({}) }),
  }) as unknown as z.ZodType<ActivityInput<'planNetworkStep'>>,
  applyNetworkChanges: z.looseObject({
    changes: z
      .array(z.looseObject({ target: z.looseObject({ kind: text(40) }), about: z.string() }))
      .max(20_000),
    purpose: z.enum(['apply', 'undo']),
  }) as unknown as z.ZodType<ActivityInput<'applyNetworkChanges'>>,
  readDecision: z.object({
    runId: text(256),
    id: z.string().regex(decisionIdPattern, { error: 'must be 8-64 letters, digits or "-"' }),
  }),
};
