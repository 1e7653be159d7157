import { ArmError } from '../arm-error';
import type { ArmResource, ParsedId } from './resource-store';
import type { ResourceState } from './resource-state';

/** What a type's `build` gets: the request body and the resource it would replace. */
export interface BuildInput {
  id: string;
  name: string;
  parsed: ParsedId;
  body: Record<string, unknown>;
  existing?: ArmResource;
  state: ResourceState;
}

/**
 * One tracked resource type: how its PUT body is validated and normalised, how it renders (with the
 * back-references ARM computes) and how its writes complete — asynchronously with
 * `Azure-AsyncOperation` (Network, Compute, private DNS zones) or synchronously (Traffic Manager,
 * DNS), matching what each SDK's poller expects.
 */
export interface ResourceType {
  /** Ledger and fault prefix, e.g. `NetworkInterfaces` → `NetworkInterfaces.CreateOrUpdate`. */
  operation: string;
  /** ARM type as GET returns it, e.g. `Microsoft.Network/networkInterfaces`. */
  type: string;
  namespace: string;
  /** Path segment of the collection under the namespace (`networkInterfaces`). */
  collection: string;
  apiVersions: readonly string[];
  write: 'async' | 'sync';
  remove: 'async' | 'sync';
  /** The SDK sends If-Match / If-None-Match (DNS, private DNS): 412 when they do not hold. */
  conditional?: boolean;
  /** Network ETags are `W/"guid"`, DNS ones a bare GUID. */
  etagStyle?: 'weak' | 'plain';
  /** PATCH: Network's updateTags (tags only, synchronous) or a merge of the body into the resource. */
  patch: 'tags' | 'merge';
  /** Simulated seconds an asynchronous write takes. */
  seconds: number;
  /** Validates and normalises a PUT body; throws ArmError 400 naming the field and the rule. */
  build(input: BuildInput): ArmResource;
  /** Adds computed fields (back-references, derived addresses) to the stored shape. */
  render?(resource: ArmResource, state: ResourceState): Record<string, unknown>;
  /** Extra properties a GET with `$expand` adds (a VM's `instanceView`), or undefined. */
  expand?(resource: ArmResource, state: ResourceState, expand: string): Record<string, unknown> | undefined;
  /** Throws when the resource may not be deleted (in use). */
  beforeDelete?(resource: ArmResource, state: ResourceState): void;
}

/** 400 with ARM's error code, naming the field. */
export const invalid = (code: string, message: string): ArmError => new ArmError(400, code, message);

export function asObject(
  value: unknown,
  field: string,
  required = false,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid('InvalidRequestFormat', `Missing required property '${field}'.`);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid('InvalidRequestFormat', `Property '${field}' must be an object.`);
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('InvalidRequestFormat', `Property '${field}' must be an array.`);
  return value;
}

export function asString(value: unknown, field: string, required = false): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid('InvalidRequestFormat', `Missing required property '${field}'.`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw invalid('InvalidRequestFormat', `Property '${field}' must be a string.`);
  return value;
}

export function asEnum<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const text = asString(value, field, fallback === undefined);
  if (text === undefined) return fallback as T;
  const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (!match)
    throw invalid(
      'InvalidRequestFormat',
      `Property '${field}' has value '${text}'; allowed: ${allowed.join(', ')}.`,
    );
  return match;
}

export function asTags(value: unknown): Record<string, string> | undefined {
  const tags = asObject(value, 'tags');
  if (!tags) return undefined;
  for (const [key, v] of Object.entries(tags))
    if (typeof v !== 'string')
      throw invalid('InvalidRequestFormat', `Tag '${key}' must have a string value.`);
  return tags as Record<string, string>;
}

/** `location` is required on every tracked resource; `global` ones must say global. */
export function requireLocation(body: Record<string, unknown>, existing?: ArmResource): string {
  const location = asString(body.location, 'location') ?? existing?.location;
  if (!location) throw invalid('LocationRequired', 'The location property is required for this definition.');
  return location.toLowerCase().replace(/\s+/g, '');
}

/** A `{ id }` reference, or undefined. */
export function refId(value: unknown, field: string): string | undefined {
  const ref = asObject(value, field);
  if (!ref) return undefined;
  return asString(ref.id, `${field}.id`, true);
}

/** An id that must name an existing resource of `type` (ARM: 400 InvalidResourceReference). */
export function existingRef(state: ResourceState, id: string, type: string, field: string): ArmResource {
  const found = state.store.get(id);
  if (!found || found.type.toLowerCase() !== type.toLowerCase())
    throw invalid(
      'InvalidResourceReference',
      `Resource ${id} referenced by '${field}' was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    );
  return found;
}
