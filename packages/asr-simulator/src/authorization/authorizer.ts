import { ArmError } from '../arm-error';
import { armActionOf } from './arm-action';
import { BUILT_IN_ROLES, type Authorization, type RoleDefinition } from './authorization-schema';
import { principalOf } from './principal';

/** The decision on one request: allowed, or the 403 ARM answers. */
export type AuthorizationDecision =
  { allowed: true; action?: string } | { allowed: false; action: string; error: ArmError };

/**
 * Role-based access control as ARM applies it before a request reaches the resource provider: the
 * request's action (armActionOf) must be granted to the token's principal by a role assigned at a scope
 * that contains the addressed resource. Without an `authorization` section everything is allowed.
 */
export class Authorizer {
  constructor(public policy: Authorization | undefined) {}

  check(method: string, path: string, token: string): AuthorizationDecision {
    const request = armActionOf(method, path);
    if (!request) return { allowed: true };
    if (!this.policy) return { allowed: true, action: request.action };
    const principal = principalOf(token);
    const granted = this.policy.assignments.some(
      (assignment) =>
        assignment.principal === principal.objectId &&
        scopeContains(assignment.scope, request.scope) &&
        roleGrants(this.role(assignment.role), request.action),
    );
    if (granted) return { allowed: true, action: request.action };
    return {
      allowed: false,
      action: request.action,
      error: new ArmError(
        403,
        'AuthorizationFailed',
        `The client '${principal.clientId}' with object id '${principal.objectId}' does not have authorization to perform action '${request.action}' over scope '${request.scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      ),
    };
  }

  /**
   * What `GET {scope}/providers/Microsoft.Authorization/permissions` answers: one entry per role the
   * caller holds at the scope or above (ARM's Permissions - List For Resource). Callers need no role
   * to list their own permissions. Without a policy the caller may do everything.
   */
  permissionsAt(scope: string, token: string): { actions: string[]; notActions: string[] }[] {
    if (!this.policy) return [{ actions: ['*'], notActions: [] }];
    const principal = principalOf(token);
    return this.policy.assignments
      .filter((a) => a.principal === principal.objectId && scopeContains(a.scope, scope))
      .map((a) => this.role(a.role))
      .filter((role): role is RoleDefinition => role !== undefined)
      .map((role) => ({ actions: role.actions, notActions: role.notActions }));
  }

  private role(name: string): RoleDefinition | undefined {
    const wanted = name.toLowerCase();
    return [...(this.policy?.roles ?? []), ...BUILT_IN_ROLES].find(
      (role) => role.name.toLowerCase() === wanted,
    );
  }
}

/** Whether an assignment at `scope` covers `resource` (same id or an ancestor, by whole segments). */
export function scopeContains(scope: string, resource: string): boolean {
  const outer = scope.replace(/\/+$/, '').toLowerCase();
  const inner = resource.replace(/\/+$/, '').toLowerCase();
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Whether the role's actions (with `*` wildcards, case-insensitive) grant `action` and no notAction removes it. */
export function roleGrants(role: RoleDefinition | undefined, action: string): boolean {
  if (!role) return false;
  const matches = (pattern: string): boolean => wildcard(pattern).test(action);
  return role.actions.some(matches) && !role.notActions.some(matches);
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The scope of a permissions listing (`{scope}/providers/Microsoft.Authorization/permissions`), else undefined. */
export function permissionsScopeOf(path: string): string | undefined {
  return /^(\/subscriptions\/.+)\/providers\/microsoft\.authorization\/permissions\/?$/i.exec(path)?.[1];
}
