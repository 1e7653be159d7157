import { badRequest } from '../arm-error';
import type { Provider } from '../scenario/scenario-schema';
import type { ItemOperation } from './item-phases';
import { ruleFor } from './provider-rules';
import type { ItemOperationInput } from './site-recovery-state';

export type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string.`, 'InvalidInput');
  return value;
}

function oneOf(value: string | undefined, field: string, allowed: string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value))
    throw badRequest(`${field} must be one of ${allowed.join(', ')}; got '${value}'.`, 'InvalidInput');
  return value;
}

/**
 * Checks an item operation body the way the service does (the SDK types mark nearly everything
 * optional, the service does not): field types, enum values, and that `providerSpecificDetails`
 * matches the item's provider. Returns the fields the simulation uses.
 */
export function parseItemInput(
  operation: ItemOperation,
  provider: Provider,
  body: unknown,
): ItemOperationInput {
  if (body !== undefined && body !== null && !isObject(body))
    throw badRequest('The request body must be a JSON object.', 'InvalidInput');
  const props = isObject(body) && body.properties !== undefined ? body.properties : undefined;
  if (props !== undefined && !isObject(props))
    throw badRequest('properties must be an object.', 'InvalidInput');
  const p: Json = props ?? {};
  const input: ItemOperationInput = {
    failoverDirection: oneOf(
      optionalString(p.failoverDirection, 'properties.failoverDirection'),
      'properties.failoverDirection',
      ['PrimaryToRecovery', 'RecoveryToPrimary'],
    ),
    sourceSiteOperations: oneOf(
      optionalString(p.sourceSiteOperations, 'properties.sourceSiteOperations'),
      'properties.sourceSiteOperations',
      ['Required', 'NotRequired'],
    ),
    comments: optionalString(p.comments, 'properties.comments'),
    // The drill network a test failover attaches the test VM to (resources/failover-resources.ts).
    ...(operation === 'TestFailover'
      ? { networkId: optionalString(p.networkId, 'properties.networkId') }
      : {}),
  };
  if (operation === 'TestFailover')
    oneOf(optionalString(p.networkType, 'properties.networkType'), 'properties.networkType', [
      'VmNetworkAsInput',
      'NoNetworkAttachAsInput',
      'LogicalNetworkAsInput',
    ]);
  const details = p.providerSpecificDetails;
  const rule = ruleFor(provider, operation);
  const accepted = rule.types;
  if ((operation === 'ChangePit' || rule.detailsRequired) && (details === undefined || details === null))
    throw badRequest(
      `properties.providerSpecificDetails is required for ${operation} on a ${provider} item${accepted?.length ? ` (instanceType ${accepted.join(' or ')})` : ''}.`,
      'InvalidInput',
    );
  if (details !== undefined && details !== null) {
    if (!isObject(details) || typeof details.instanceType !== 'string')
      throw badRequest(
        'properties.providerSpecificDetails must be an object with an instanceType.',
        'InvalidInput',
      );
    if (accepted && !accepted.includes(details.instanceType))
      throw badRequest(
        `providerSpecificDetails.instanceType '${details.instanceType}' is not valid for ${operation} on a ${provider} item${accepted.length ? `; expected ${accepted.join(' or ')}` : ''}.`,
        'InvalidProviderInput',
      );
    for (const field of rule.required ?? []) {
      const value = optionalString(details[field], `properties.providerSpecificDetails.${field}`);
      if (value === undefined || value === '')
        throw badRequest(
          `properties.providerSpecificDetails.${field} is required for ${operation} with ${details.instanceType} input.`,
          'InvalidProviderInput',
        );
    }
    for (const [field, values] of Object.entries(rule.enums ?? {}))
      oneOf(
        optionalString(details[field], `properties.providerSpecificDetails.${field}`),
        `properties.providerSpecificDetails.${field}`,
        [...values],
      );
    input.recoveryPointId = optionalString(
      details.recoveryPointId,
      'properties.providerSpecificDetails.recoveryPointId',
    );
    input.recoveryPointType = optionalString(
      details.recoveryPointType,
      'properties.providerSpecificDetails.recoveryPointType',
    );
    input.details = details;
  }
  // The modernized stack takes the test network from the provider input; PowerShell copies
  // properties.networkId into InMageRcmTestFailoverInput.networkId (asr-providers.md §4).
  if (
    provider === 'InMageRcm' &&
    operation === 'TestFailover' &&
    p.networkType === 'VmNetworkAsInput' &&
    !(isObject(details) && typeof details.networkId === 'string' && details.networkId)
  )
    throw badRequest(
      'properties.providerSpecificDetails.networkId is required for an InMageRcm test failover with networkType VmNetworkAsInput (the same network as properties.networkId).',
      'InvalidProviderInput',
    );
  if (input.recoveryPointType === 'Custom' && input.recoveryPointId === undefined)
    throw badRequest(
      "properties.providerSpecificDetails.recoveryPointId is required when recoveryPointType is 'Custom'.",
      'InvalidProviderInput',
    );
  if (operation === 'ChangePit')
    input.recoveryPointId =
      optionalString(p.recoveryPointId, 'properties.recoveryPointId') ?? input.recoveryPointId;
  return input;
}
