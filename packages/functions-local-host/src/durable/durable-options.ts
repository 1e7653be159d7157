import { cpus } from 'node:os';

export interface DurableOptions {
  hubName: string;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  overridableExistingInstanceStates: 'NonRunningStates' | 'AnyState';
}

/** A host.json mistake, reported with the field path and the rule. */
export class DurableOptionsError extends Error {}

const field = 'host.json extensions.durableTask';

/** Reads host.json `extensions.durableTask` (Options/DurableTaskOptions.cs defaults). */
export function durableOptions(hostJson: Record<string, unknown>): DurableOptions {
  const extensions = hostJson.extensions;
  const raw =
    extensions && typeof extensions === 'object'
      ? (extensions as Record<string, unknown>).durableTask
      : undefined;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw new DurableOptionsError(`${field}: must be an object.`);
  }
  const section = (raw ?? {}) as Record<string, unknown>;
  const defaultConcurrency = 10 * Math.max(1, cpus().length);
  const hubName = section.hubName ?? 'TestHubName';
  if (typeof hubName !== 'string' || !/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hubName)) {
    throw new DurableOptionsError(
      `${field}.hubName: must be 3–45 letters or digits starting with a letter (it names storage tables); got ${JSON.stringify(hubName)}.`,
    );
  }
  const states = section.overridableExistingInstanceStates ?? 'NonRunningStates';
  const normalized = typeof states === 'string' ? states.toLowerCase() : '';
  if (normalized !== 'nonrunningstates' && normalized !== 'anystate') {
    throw new DurableOptionsError(
      `${field}.overridableExistingInstanceStates: must be "NonRunningStates" or "AnyState"; got ${JSON.stringify(states)}.`,
    );
  }
  return {
    hubName,
    maxConcurrentActivityFunctions: positive(section, 'maxConcurrentActivityFunctions', defaultConcurrency),
    maxConcurrentOrchestratorFunctions: positive(
      section,
      'maxConcurrentOrchestratorFunctions',
      defaultConcurrency,
    ),
    overridableExistingInstanceStates: normalized === 'anystate' ? 'AnyState' : 'NonRunningStates',
  };
}

function positive(section: Record<string, unknown>, name: string, fallback: number): number {
  const value = section[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new DurableOptionsError(
      `${field}.${name}: must be a positive integer; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
