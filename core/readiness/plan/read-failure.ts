import type { PlanStatus } from './plan-check';
import type { Read, ReadFailure } from './plan-facts';

/** The failures of some reads, deduplicated by what they say. */
export function failuresOf(reads: readonly Read<unknown>[]): ReadFailure[] {
  const seen = new Map<string, ReadFailure>();
  for (const read of reads) if (!read.ok) seen.set(failureText(read.error), read.error);
  return [...seen.values()];
}

/** One line: what was read and why it failed; a 403 names the refused action and its scope. */
export function failureText(error: ReadFailure): string {
  if (error.status === 403 || error.code === 'AuthorizationFailed')
    return `${error.what}: ARM refused '${error.action ?? 'the read'}'${error.scope ? ` over '${error.scope}'` : ''} (403 ${error.code})`;
  return `${error.what}: ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
}

/** What to do about failed reads: grant the refused actions, or wait for a transient failure. */
export function failureFix(errors: readonly ReadFailure[]): string {
  const refused = errors.filter((e) => e.status === 403 || e.code === 'AuthorizationFailed');
  if (refused.length > 0) {
    const grants = [
      ...new Set(refused.map((e) => `'${e.action ?? 'read'}' on '${e.scope ?? 'the resource'}'`)),
    ];
    return `Grant the app's managed identity ${grants.join(', ')} (docs/readiness.md lists the role for each check).`;
  }
  if (errors.every((e) => e.kind === 'retryable'))
    return 'A transient failure (throttling or a server error): the next evaluation reads again.';
  return 'See the error; check the names in the plan against Azure.';
}

/**
 * The status of a check whose reads failed: a refused or broken read of something the run itself needs
 * is `failing` (the run would hit the same wall); a transient failure, or a read only readiness makes,
 * is a `warning` (not known, not known to be broken).
 */
export function failureStatus(errors: readonly ReadFailure[], runNeedsIt: boolean): PlanStatus {
  if (!runNeedsIt) return 'warning';
  return errors.every((e) => e.kind === 'retryable') ? 'warning' : 'failing';
}
