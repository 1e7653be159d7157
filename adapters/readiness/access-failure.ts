import { PortError } from '../../core/ports/port-error';
import { classifyError } from '../arm/classify-error';
import { CUSTOM_ROLE_NAME } from '../arm/required-permissions';

/** A failed probe, as readiness reports it: what happened and what to do. */
export interface ProbeFailure {
  detail: string;
  fix: string;
  notFound: boolean;
}

/**
 * Explains a failed ARM read. A 403 names the action and scope ARM refused (from its message), so the
 * fix is precise; other failures keep ARM's message (classified: tokens and query strings redacted).
 */
export function probeFailure(
  error: unknown,
  what: string,
  fallbackAction: string,
  scope: string,
): ProbeFailure {
  const info = error instanceof PortError ? error.info : classifyError(error);
  if (info.status === 403 || info.code === 'AuthorizationFailed') {
    const refused = /perform action '([^']+)' over scope '([^']+)'/i.exec(info.message);
    const action = refused?.[1] ?? fallbackAction;
    const at = refused?.[2] ?? scope;
    return {
      detail: `${what}: ARM refused '${action}' over '${at}' (403 ${info.code}).`,
      fix: grantFix([action], scope),
      notFound: false,
    };
  }
  if (info.kind === 'notFound')
    return {
      detail: `${what}: not found (${info.code}: ${info.message})`,
      fix: `Check the plan's names (subscription, resource group, resource) against '${scope}'.`,
      notFound: true,
    };
  return {
    detail: `${what}: ${info.code}${info.status ? ` (HTTP ${info.status})` : ''}: ${info.message}`,
    fix:
      info.kind === 'retryable'
        ? 'A transient failure: check again shortly.'
        : `See the error; the scope is '${scope}'.`,
    notFound: false,
  };
}

/** The fix for missing actions: the custom role infra/ creates, assigned on this resource. */
export function grantFix(actions: string[], scope: string): string {
  return (
    `Assign the role '${CUSTOM_ROLE_NAME}' (infra/: parameters siteRecoveryVaultIds / automationAccountIds, then azd provision) ` +
    `to the app's managed identity on scope '${scope}'. It lacks: ${actions.join(', ')}.`
  );
}
