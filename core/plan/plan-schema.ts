import { z } from 'zod';
import { LIMITS } from './limits';
import { STEP_KINDS } from './plan-types';
import {
  email,
  failurePolicy,
  guid,
  identifier,
  member,
  minutes,
  ncrontab,
  operations,
  planName,
  recoveryPoint,
  resourceGroupName,
  retrySettings,
  text,
  vaultName,
  vnetResourceId,
} from './schema-primitives';
import { readinessSchema } from './readiness-schema';
import { groupSchema, stepSchema } from './step-schema';
import { recoverySchema, triggersSchema } from './health-schema';

/** The YAML/JSON shape of a plan file, before defaults and groups are resolved. */
export const planDocumentSchema = z.strictObject({
  /** Editors' JSON Schema hint (e.g. for completion in VS Code); ignored. */
  $schema: z.string().max(LIMITS.maxStringLength).optional(),
  apiVersion: z.literal('durable-recovery/v1'),
  kind: z.literal('RecoveryPlan'),
  metadata: z.strictObject({
    name: planName,
    description: text.optional(),
    owners: z.array(email).min(1).max(50),
    labels: z.record(identifier, text).optional(),
  }),
  vault: z.strictObject({ subscriptionId: guid, resourceGroup: resourceGroupName, name: vaultName }),
  objectives: z.strictObject({ rtoMinutes: minutes(1), rpoMinutes: minutes(0) }),
  approvers: z.record(identifier, z.array(member).min(1).max(LIMITS.maxGroupMembers)).optional(),
  defaults: z
    .strictObject({
      recoveryPoint: recoveryPoint.optional(),
      onFailure: failurePolicy.optional(),
      retry: retrySettings.optional(),
      when: operations.optional(),
      askGroup: identifier.optional(),
      budgetMinutes: z.partialRecord(z.enum(STEP_KINDS), minutes(0)).optional(),
    })
    .optional(),
  drill: z
    .strictObject({
      schedule: ncrontab.optional(),
      testNetworkId: vnetResourceId,
      autoApprove: z.boolean().optional(),
      cleanup: z
        .strictObject({
          policy: z.enum(['always', 'onSuccess', 'manual']).optional(),
          delayMinutes: minutes(0).optional(),
        })
        .optional(),
    })
    .optional(),
  readiness: readinessSchema.optional(),
  steps: z.array(stepSchema).min(1).max(LIMITS.maxSteps).optional(),
  recovery: recoverySchema.optional(),
  triggers: triggersSchema.optional(),
  groups: z.array(groupSchema).min(1).max(LIMITS.maxGroups).optional(),
});

/** A plan document that passed the schema (but not yet the semantic rules). */
export type PlanDocument = z.output<typeof planDocumentSchema>;
