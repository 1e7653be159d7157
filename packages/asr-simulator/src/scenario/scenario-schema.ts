import { z } from 'zod';
import { authorizationSchema } from '../authorization/authorization-schema';
import {
  itemNetworkSchema,
  networkScenarioSchema,
  scenarioVmSchema,
} from '../resources/resource-scenario-schema';
import { capacitySchema } from '../capacity/capacity-schema';
import { alertRulesSchema } from '../monitor/alert-rule-schema';
import { healthEventSchema } from '../site-recovery/item-health';

/**
 * A duration in "real" seconds as the service would take it; the simulator multiplies it by the
 * time scale. A number is fixed; `{min,max}` is uniform; `{mean,stddev}` is normal (clamped at 0).
 */
export const durationSchema = z.union([
  z.number().nonnegative(),
  z.object({ min: z.number().nonnegative(), max: z.number().nonnegative() }).strict(),
  z.object({ mean: z.number().nonnegative(), stddev: z.number().nonnegative() }).strict(),
]);
export type DurationSpec = z.infer<typeof durationSchema>;

/** Durations of the protected-item operations (keys are the operation names the simulator uses). */
export const itemDurationsSchema = z
  .object({
    testFailover: durationSchema,
    testFailoverCleanup: durationSchema,
    failover: durationSchema,
    shutdown: durationSchema,
    commit: durationSchema,
    cancel: durationSchema,
    applyRecoveryPoint: durationSchema,
    switchProtection: durationSchema,
    resync: durationSchema,
    /** Initial replication after every reprotect (a separate job; no failover until it ends). */
    initialReplication: durationSchema,
    /** Hyper-V failback: data synchronisation, shutdown in Azure and failover on-premises. */
    failback: durationSchema,
  })
  .partial()
  .strict();
export type ItemDurations = z.infer<typeof itemDurationsSchema>;

/** The provider an item is enabled with (its failback providers follow from reprotect). */
export const providerSchema = z.enum(['A2A', 'HyperVReplicaAzure', 'InMageRcm', 'InMageAzureV2']);
export type ScenarioProvider = z.infer<typeof providerSchema>;
/**
 * Every provider an item can have: the scenario's plus `InMageRcmFailback` (an InMageRcm item after
 * reprotect to on-premises) and `InMage` (a classic InMageAzureV2 item after reprotect).
 */
export type Provider = ScenarioProvider | 'InMageRcmFailback' | 'InMage';

const itemSchema = z
  .object({
    /** VM name (friendlyName). */
    name: z.string().min(1),
    /** ARM name of the protected item; default: a stable GUID derived from the vault and VM name. */
    replicationName: z.string().min(1).optional(),
    provider: providerSchema.optional(),
    durations: itemDurationsSchema.optional(),
    rpoInSeconds: z.number().int().nonnegative().optional(),
    vmSize: z.string().optional(),
    /** HyperVReplicaAzure only: the VM's host is managed by System Center VMM (VMM fabric and cloud). */
    vmm: z.boolean().optional(),
    /** InMageRcm / InMageAzureV2 only: a VMware VM (default) or a physical server. */
    machine: z.enum(['VMware', 'Physical']).optional(),
    osType: z.enum(['Windows', 'Linux']).optional(),
    /** NIC placement before and after failover (resources/resource-scenario-schema.ts). */
    network: itemNetworkSchema.optional(),
  })
  .strict();

/** Many similar items without listing them: `vm-0001` … */
const generatedItemsSchema = z
  .object({
    count: z.number().int().positive().max(10_000),
    namePrefix: z.string().min(1),
    provider: providerSchema.optional(),
    durations: itemDurationsSchema.optional(),
  })
  .strict();

export const runbookSchema = z
  .object({
    name: z.string().min(1),
    duration: durationSchema.optional(),
    output: z.array(z.string()).optional(),
    /** When set, the job ends Failed with this exception text. */
    fail: z.string().optional(),
    /** When true, the job stops in Suspended until resumed. */
    suspend: z.boolean().optional(),
    /** An HTTP call into the lab made while the job runs; a non-2xx answer fails the job. */
    http: z
      .object({ url: z.string().url(), method: z.enum(['GET', 'POST', 'PUT']).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type RunbookSpec = z.infer<typeof runbookSchema>;

const actionSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(['runbook', 'manual', 'script']),
    runbook: z.string().optional(),
    description: z.string().optional(),
    failoverTypes: z.array(z.enum(['TestFailover', 'PlannedFailover', 'UnplannedFailover'])).optional(),
    failoverDirections: z.array(z.enum(['PrimaryToRecovery', 'RecoveryToPrimary'])).optional(),
  })
  .strict();

const planGroupSchema = z
  .object({
    items: z.array(z.string().min(1)),
    pre: z.array(actionSchema).optional(),
    post: z.array(actionSchema).optional(),
  })
  .strict();

const bucketSchema = z
  .object({ capacity: z.number().int().positive(), refillPerSecond: z.number().positive() })
  .strict();

/**
 * ARM's request limits, a token bucket per principal and operation type (learn.microsoft.com,
 * "Understand how Azure Resource Manager throttles requests": subscription reads 250 refilling 25/s,
 * writes 200 refilling 10/s). Refill runs in simulated time, so it scales with the time scale.
 */
const rateLimitsSchema = z
  .object({
    enabled: z.boolean().default(true),
    reads: bucketSchema.default({ capacity: 250, refillPerSecond: 25 }),
    writes: bucketSchema.default({ capacity: 200, refillPerSecond: 10 }),
    /** When false the refill rates are per wall-clock second, whatever the time scale. */
    scaleWithTime: z.boolean().default(true),
  })
  .strict();
export type RateLimits = z.infer<typeof rateLimitsSchema>;

const onPremisesSchema = z
  .object({
    /** Hyper-V site (Hyper-V hosts without VMM): fabric name. */
    hyperVSite: z.string().min(1).default('hyperv-site-1'),
    /** VMM server (fabric) and the VMM cloud (protection container) of VMM-managed Hyper-V VMs. */
    vmmServer: z.string().min(1).default('vmm01.contoso.local'),
    vmmCloud: z.string().min(1).default('Cloud-Prod'),
    /** Modernized VMware/physical (InMageRcm): fabric, replication appliance, vCenter and datastores. */
    vmwareSite: z.string().min(1).default('vmware-site-1'),
    appliance: z.string().min(1).default('asr-appliance-01'),
    vCenter: z.string().min(1).default('vcenter01.contoso.local'),
    datastores: z.array(z.string().min(1)).min(1).default(['datastore-prod-01']),
    /** Classic VMware/physical (InMageAzureV2): the configuration server fabric and its master target. */
    configurationServer: z.string().min(1).default('cs01.contoso.local'),
  })
  .strict();
export type OnPremises = z.infer<typeof onPremisesSchema>;

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    subscriptionId: z.string().uuid().default('00000000-0000-4000-8000-000000000001'),
    resourceGroup: z.string().min(1).default('rg-dr'),
    /** Default time scale when the caller gives none (1 = real time). */
    timeScale: z.number().positive().max(1000).default(1),
    /** Seed for duration sampling, so a scenario replays identically. */
    seed: z.number().int().default(1),
    vault: z.object({ name: z.string().min(1), location: z.string().min(1).default('ukwest') }).strict(),
    primary: z
      .object({ location: z.string().min(1).default('uksouth') })
      .strict()
      .default({ location: 'uksouth' }),
    defaults: z
      .object({ provider: providerSchema.default('A2A'), durations: itemDurationsSchema.default({}) })
      .strict()
      .default({ provider: 'A2A', durations: {} }),
    recoveryPoints: z
      .object({
        crashConsistentEverySeconds: z.number().int().positive().default(300),
        appConsistentEverySeconds: z.number().int().positive().default(3600),
        retentionHours: z.number().positive().default(24),
      })
      .strict()
      .default({ crashConsistentEverySeconds: 300, appConsistentEverySeconds: 3600, retentionHours: 24 }),
    items: z.array(itemSchema).default([]),
    generatedItems: generatedItemsSchema.optional(),
    automation: z
      .object({
        account: z.string().min(1),
        activationSeconds: z.number().nonnegative().default(5),
        runbooks: z.array(runbookSchema).default([]),
        /** Webhooks that start a runbook with fixed parameters (POST to the URL in /_sim/info). */
        webhooks: z
          .array(
            z
              .object({
                name: z.string().min(1),
                runbook: z.string().min(1),
                parameters: z.record(z.string(), z.string()).optional(),
                isEnabled: z.boolean().default(true),
              })
              .strict(),
          )
          .default([]),
        /** What a second PUT of an existing job name does: return the existing job (201) or answer 409. */
        duplicateJobPut: z.enum(['return-existing', 'conflict']).default('return-existing'),
      })
      .strict()
      .optional(),
    /** Names of the on-premises infrastructure (fabrics, appliances) the non-A2A items use. */
    onPremises: onPremisesSchema.prefault({}),
    rateLimits: rateLimitsSchema.prefault({}),
    recoveryPlans: z
      .array(z.object({ name: z.string().min(1), groups: z.array(planGroupSchema).min(1).max(7) }).strict())
      .default([]),
    /** Role-based access control (authorization/): absent = every caller may do everything. */
    authorization: authorizationSchema.optional(),
    /** Network resources of the subscription (resources/): VNets, NSGs, public IPs, LBs, TM, DNS, SQL AGs. */
    network: networkScenarioSchema.prefault({}),
    /** VMs that are not protected (drift tests); protected A2A items' VMs are created without listing them. */
    virtualMachines: z.array(scenarioVmSchema).default([]),
    /** Compute quotas and VM sizes per region (capacity/): what readiness checks of target capacity read. */
    capacity: capacitySchema.optional(),
    /** Replication health changes over simulated time (site-recovery/health-events.ts). */
    healthEvents: z.array(healthEventSchema).optional(),
    /** Azure Monitor alert rules whose alerts the control API fires and resolves (monitor/). */
    alertRules: alertRulesSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioItem = z.infer<typeof itemSchema>;
export type ScenarioPlan = Scenario['recoveryPlans'][number];
export type ScenarioAction = z.infer<typeof actionSchema>;
