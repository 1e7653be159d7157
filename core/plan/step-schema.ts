import { z } from 'zod';
import { reprotectSettingsSchema } from '../items/reprotect-settings';
import { LIMITS } from './limits';
import {
  dnsSchema,
  loadBalancerSchema,
  nsgSchema,
  publicIpSchema,
  sqlAvailabilityGroupSchema,
  staticIpSchema,
  trafficManagerSchema,
} from './network-step-schema';
import {
  automationAccountName,
  failurePolicy,
  guid,
  headers,
  httpUrl,
  identifier,
  itemRef,
  minutes,
  operations,
  planName,
  protectedItemName,
  recoveryPoint,
  resourceGroupName,
  runbookName,
  statusCodes,
  text,
  visibleName,
  vmResourceId,
} from './schema-primitives';

// The YAML shape of one step. A step names its kind by carrying exactly one kind key (failover,
// runbook, …); that "exactly one" rule is checked by the semantic rules so it can name the keys found.

const failoverItem = z.union([
  itemRef,
  z.strictObject({
    name: protectedItemName,
    recoveryPoint: recoveryPoint.optional(),
    reprotect: reprotectSettingsSchema.optional(),
  }),
  z.strictObject({
    vmId: vmResourceId,
    recoveryPoint: recoveryPoint.optional(),
    reprotect: reprotectSettingsSchema.optional(),
  }),
]);

export const runbookSchema = z.strictObject({
  account: automationAccountName,
  name: runbookName,
  resourceGroup: resourceGroupName.optional(),
  subscriptionId: guid.optional(),
  parameters: z
    .record(
      visibleName(z.string().min(1).max(128)),
      z.union([z.string().max(LIMITS.maxStringLength), z.number(), z.boolean()]),
    )
    .optional(),
  timeoutMinutes: minutes(1).optional(),
});

export const webhookSchema = z.strictObject({
  url: httpUrl,
  method: z.enum(['POST', 'PUT', 'GET']).optional(),
  headers: headers.optional(),
  body: z.unknown().optional(),
  expectStatus: statusCodes.optional(),
  timeoutMinutes: minutes(0.1, 60).optional(),
});

const approvalSchema = z.strictObject({
  group: identifier,
  quorum: z.int().min(1).max(LIMITS.maxGroupMembers).optional(),
  timeoutMinutes: minutes(1),
  onTimeout: z.enum(['abort', 'continue', 'escalate']).optional(),
  escalateTo: identifier.optional(),
  escalationTimeoutMinutes: minutes(1).optional(),
  fourEyes: z.boolean().optional(),
  message: text.optional(),
});

const checkSchema = z.strictObject({
  http: z.strictObject({
    url: httpUrl,
    method: z.enum(['GET', 'HEAD']).optional(),
    expectStatus: statusCodes.optional(),
    bodyContains: text.optional(),
    headers: headers.optional(),
  }),
  intervalSeconds: z.number().min(1).max(3_600).optional(),
  timeoutMinutes: minutes(0.5, 24 * 60),
});

const compensationSchema = z.union([
  z.enum(['auto', 'none']),
  z.strictObject({ runbook: runbookSchema.optional(), webhook: webhookSchema.optional() }),
]);

/** One step as written in YAML. */
export const stepSchema = z.strictObject({
  id: identifier,
  description: text.optional(),
  dependsOn: z.array(identifier).max(LIMITS.maxDependsOn).optional(),
  when: operations.optional(),
  onFailure: failurePolicy.optional(),
  budgetMinutes: minutes(0).optional(),
  compensation: compensationSchema.optional(),
  failover: z.strictObject({ items: z.array(failoverItem).min(1).max(LIMITS.maxItems) }).optional(),
  runbook: runbookSchema.optional(),
  approval: approvalSchema.optional(),
  wait: z.strictObject({ minutes: minutes(0.1) }).optional(),
  check: checkSchema.optional(),
  webhook: webhookSchema.optional(),
  plan: z.strictObject({ name: planName }).optional(),
  trafficManager: trafficManagerSchema.optional(),
  dns: dnsSchema.optional(),
  publicIp: publicIpSchema.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  nsg: nsgSchema.optional(),
  staticIp: staticIpSchema.optional(),
  sqlAvailabilityGroup: sqlAvailabilityGroupSchema.optional(),
});

/** An ASR-style group: its steps wait for every step of the previous group. */
export const groupSchema = z.strictObject({
  name: identifier,
  description: text.optional(),
  steps: z.array(stepSchema).min(1).max(LIMITS.maxSteps),
});

export type StepDocument = z.output<typeof stepSchema>;
export type GroupDocument = z.output<typeof groupSchema>;
