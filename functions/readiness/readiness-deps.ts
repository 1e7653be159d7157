import type { AppPorts } from '../../adapters/config/app-adapters';
import { outboundAllowlist } from '../../adapters/config/app-config';
import { CUSTOM_ROLE_NAME } from '../../adapters/arm/required-permissions';
import type { PlanEvaluatorDeps } from './plan-evaluator';

/** The evaluator's dependencies from the app's ports. */
export function readinessDeps(ports: AppPorts, log: PlanEvaluatorDeps['log']): PlanEvaluatorDeps {
  return {
    siteRecovery: ports.siteRecovery,
    automation: ports.automation,
    permissions: ports.permissions,
    compute: ports.compute,
    plans: ports.plans,
    store: ports.readiness,
    teams: ports.teams,
    email: ports.email,
    teamsWebhooks: ports.config.notify.teamsWebhooks,
    publicBaseUrl: ports.config.publicBaseUrl,
    outboundAllow: outboundAllowlist(),
    roleName: CUSTOM_ROLE_NAME,
    now: () => new Date(),
    log,
  };
}
