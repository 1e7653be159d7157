import { describe, expect, it } from 'vitest';
import { authorizationSchema } from '../../src/authorization/authorization-schema';
import { Authorizer, roleGrants, scopeContains } from '../../src/authorization/authorizer';
import { principalOf } from '../../src/authorization/principal';

const vault = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v';

describe('simulated RBAC', () => {
  it('when a role uses wildcards and notActions, then it grants what Azure would', () => {
    const reader = { name: 'r', actions: ['*/read'], notActions: [] };
    expect(roleGrants(reader, 'Microsoft.RecoveryServices/vaults/replicationJobs/read')).toBe(true);
    expect(roleGrants(reader, 'Microsoft.Automation/automationAccounts/jobs/write')).toBe(false);
    const most = { name: 'm', actions: ['Microsoft.Automation/*'], notActions: ['*/jobs/stop/action'] };
    expect(roleGrants(most, 'microsoft.automation/automationaccounts/jobs/write')).toBe(true);
    expect(roleGrants(most, 'Microsoft.Automation/automationAccounts/jobs/stop/action')).toBe(false);
  });

  it('when an assignment scope is an ancestor by whole segments, then it covers the resource', () => {
    expect(scopeContains('/subscriptions/s/resourceGroups/RG', `${vault}/replicationJobs`)).toBe(true);
    expect(scopeContains(vault, vault)).toBe(true);
    expect(scopeContains(`${vault}`, `${vault}-2/replicationJobs`)).toBe(false);
  });

  it('when the token is a JWT, then its oid and appid name the principal; any other token is its own principal', () => {
    const payload = Buffer.from(JSON.stringify({ oid: 'obj-1', appid: 'app-1' })).toString('base64url');
    expect(principalOf(`e30.${payload}.sig`)).toEqual({ objectId: 'obj-1', clientId: 'app-1' });
    expect(principalOf('lab-identity')).toEqual({ objectId: 'lab-identity', clientId: 'lab-identity' });
  });

  it('when a principal lacks the action, then the 403 is AuthorizationFailed in ARM words; without a policy all is allowed', () => {
    const policy = authorizationSchema.parse({
      assignments: [{ principal: 'p', role: 'Reader', scope: '/subscriptions/s' }],
    });
    const authorizer = new Authorizer(policy);
    expect(authorizer.check('GET', `${vault}/replicationJobs`, 'p')).toMatchObject({ allowed: true });
    const denied = authorizer.check('POST', `${vault}/replicationJobs/j/cancel`, 'p');
    expect(denied.allowed).toBe(false);
    if (denied.allowed) return;
    expect(denied.error.status).toBe(403);
    expect(denied.error.body().error).toEqual({
      code: 'AuthorizationFailed',
      message: `The client 'p' with object id 'p' does not have authorization to perform action 'Microsoft.RecoveryServices/vaults/replicationJobs/cancel/action' over scope '${vault}/replicationJobs/j' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
    expect(new Authorizer(undefined).check('POST', `${vault}/replicationJobs/j/cancel`, 'x').allowed).toBe(
      true,
    );
  });

  it('when an assignment names an unknown role, then the scenario is refused naming the field', () => {
    const result = authorizationSchema.safeParse({
      assignments: [{ principal: 'p', role: 'Magic', scope: '/subscriptions/s' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['assignments', 0, 'role'] });
  });
});
