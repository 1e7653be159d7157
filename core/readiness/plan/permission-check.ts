import { missingActions } from '../permission-grants';
import { ok, plural, type PlanCheckResult } from './plan-check';
import type { PermissionFact } from './plan-facts';
import { failureText } from './read-failure';

/**
 * The app identity's effective permissions at each scope the plan works in, against the actions its
 * steps need (the least-privilege list): a missing action is named with its scope and the steps.
 */
export function permissionsCheck(permissions: readonly PermissionFact[], roleName: string): PlanCheckResult {
  const id = 'permissions';
  const title = "The app's identity holds the permissions each step needs";
  const gaps: string[] = [];
  const unknown: string[] = [];
  let required = 0;
  for (const fact of permissions) {
    required += fact.required.length;
    if (!fact.read.ok) {
      unknown.push(failureText(fact.read.error));
      continue;
    }
    const missing = missingActions(fact.read.value, fact.required);
    if (missing.length > 0) gaps.push(`on '${fact.scope}' (${fact.neededBy}) it lacks ${missing.join(', ')}`);
  }
  if (gaps.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `The identity ${gaps.join('; ')}.${unknown.length > 0 ? ` Not checked: ${unknown.join('; ')}.` : ''}`,
      fix: `Assign the role '${roleName}' (infra/, azd provision) to the app's managed identity on each scope named, or add the missing actions to its role.`,
    };
  if (unknown.length > 0)
    return {
      id,
      title,
      status: 'warning',
      evidence: `Could not list the identity's permissions: ${unknown.join('; ')}.`,
      fix: 'Any principal may list its own permissions; check the scope names and the ARM endpoint.',
    };
  return ok(
    id,
    title,
    `All ${plural(required, 'required action')} granted on ${plural(permissions.length, 'scope')}.`,
  );
}
