import { badRequest } from '../arm-error';
import type { Provider } from '../scenario/scenario-schema';
import type { ItemOperation } from './item-phases';
import type { PlanOperation } from './plan-runner';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface PlanInput {
  failoverDirection?: string;
  sourceSiteOperations?: string;
  /** `providerSpecificDetails` entries by instanceType (one per provider of the plan). */
  details: Map<string, Json>;
}

const latestTypes = ['Latest', 'LatestApplicationConsistent', 'LatestCrashConsistent', 'LatestProcessed'];

/**
 * Recovery plan failover inputs per instanceType (SDK `RecoveryPlan*FailoverInput` models, 5.1.0):
 * the enumerated fields and which of them are required.
 */
const planInputRules: Record<string, { required: string[]; enums: Record<string, string[]> }> = {
  A2A: { required: ['recoveryPointType'], enums: { recoveryPointType: latestTypes } },
  HyperVReplicaAzure: {
    required: [],
    enums: { recoveryPointType: ['Latest', 'LatestApplicationConsistent', 'LatestProcessed'] },
  },
  HyperVReplicaAzureFailback: {
    required: ['dataSyncOption', 'recoveryVmCreationOption'],
    enums: {
      dataSyncOption: ['ForDownTime', 'ForSynchronization'],
      recoveryVmCreationOption: ['CreateVmIfNotFound', 'NoAction'],
    },
  },
  InMageRcm: { required: ['recoveryPointType'], enums: { recoveryPointType: latestTypes } },
  InMageRcmFailback: {
    required: ['recoveryPointType'],
    enums: { recoveryPointType: ['ApplicationConsistent', 'CrashConsistent'] },
  },
  InMageAzureV2: { required: ['recoveryPointType'], enums: { recoveryPointType: latestTypes } },
  InMage: {
    required: ['recoveryPointType'],
    enums: { recoveryPointType: ['LatestTime', 'LatestTag', 'Custom'] },
  },
};

/** Checks plan operation bodies as the service does: direction always, network type for tests, provider inputs. */
export function parsePlanInput(operation: PlanOperation, body: unknown): PlanInput {
  const failover =
    operation === 'TestFailover' || operation === 'PlannedFailover' || operation === 'UnplannedFailover';
  const details = new Map<string, Json>();
  if (!failover) return { details };
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props)) throw badRequest('properties is required: { failoverDirection, … }.', 'InvalidInput');
  const direction = props.failoverDirection;
  if (direction !== 'PrimaryToRecovery' && direction !== 'RecoveryToPrimary')
    throw badRequest(
      "properties.failoverDirection is required and must be 'PrimaryToRecovery' or 'RecoveryToPrimary'.",
      'InvalidInput',
    );
  if (
    operation === 'TestFailover' &&
    !['VmNetworkAsInput', 'NoNetworkAttachAsInput', 'LogicalNetworkAsInput'].includes(
      String(props.networkType),
    )
  )
    throw badRequest(
      "properties.networkType is required for a test failover: 'VmNetworkAsInput', 'NoNetworkAttachAsInput' or 'LogicalNetworkAsInput'.",
      'InvalidInput',
    );
  if (
    operation === 'UnplannedFailover' &&
    props.sourceSiteOperations !== 'Required' &&
    props.sourceSiteOperations !== 'NotRequired'
  )
    throw badRequest(
      "properties.sourceSiteOperations is required for a failover: 'Required' or 'NotRequired'.",
      'InvalidInput',
    );
  const entries = props.providerSpecificDetails ?? [];
  if (!Array.isArray(entries))
    throw badRequest('properties.providerSpecificDetails must be an array.', 'InvalidInput');
  entries.forEach((entry: unknown, i) => {
    const where = `properties.providerSpecificDetails[${i}]`;
    if (!isObject(entry) || typeof entry.instanceType !== 'string')
      throw badRequest(`${where}.instanceType is required.`, 'InvalidInput');
    const rule = planInputRules[entry.instanceType];
    if (!rule)
      throw badRequest(
        `${where}.instanceType '${entry.instanceType}' is not a known provider; expected one of ${Object.keys(planInputRules).join(', ')}.`,
        'InvalidProviderInput',
      );
    for (const field of rule.required)
      if (entry[field] === undefined || entry[field] === null)
        throw badRequest(
          `${where}.${field} is required for ${entry.instanceType}: ${rule.enums[field]?.join(', ') ?? 'a value'}.`,
          'InvalidInput',
        );
    for (const [field, values] of Object.entries(rule.enums)) {
      const value = entry[field];
      if (value !== undefined && (typeof value !== 'string' || !values.includes(value)))
        throw badRequest(
          `${where}.${field} must be one of ${values.join(', ')} for ${entry.instanceType}; got ${JSON.stringify(value)}.`,
          'InvalidInput',
        );
    }
    details.set(entry.instanceType, entry);
  });
  return {
    failoverDirection: direction,
    sourceSiteOperations:
      typeof props.sourceSiteOperations === 'string' ? props.sourceSiteOperations : undefined,
    details,
  };
}

/**
 * The plan input entry an item uses for an operation, and whether the plan must carry one: the
 * providers whose plan input has required fields (A2A excepted: its entry stays optional, as before).
 */
export function planEntryFor(
  provider: Provider,
  operation: ItemOperation,
): { instanceType: string; required: boolean } {
  if (operation === 'Failback') return { instanceType: 'HyperVReplicaAzureFailback', required: true };
  return {
    instanceType: provider,
    required: ['InMageRcm', 'InMageRcmFailback', 'InMageAzureV2', 'InMage'].includes(provider),
  };
}
