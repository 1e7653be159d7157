import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notificationChecks } from '../../../adapters/readiness/notification-checks';
import { settingsChecks } from '../../../adapters/readiness/settings-checks';
import { validatePlan } from '../../../core/plan/validate-plan';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { missingActions } from '../../../core/readiness/permission-grants';
import { planTargets } from '../../../core/readiness/plan-targets';
import { labAuthorization } from '../../../local/lab/lab-authorization';

const root = join(__dirname, '../../..');
const base = { DR_STORAGE: 'UseDevelopmentStorage=true' };

// The demo shop switches its network with native steps; these application runbooks (not in the
// demo) give the runbook checks something to find.
const APP_RUNBOOKS = `
  - id: warm-cache
    dependsOn: [app]
    runbook: { account: aa-dr, name: Warm-Cache, timeoutMinutes: 10 }
  - id: reindex
    dependsOn: [sql-ag]
    runbook: { account: aa-dr, name: Reindex-Orders, timeoutMinutes: 10 }
`;

function shop(): RecoveryPlan {
  const result = validatePlan(readFileSync(join(root, 'plans/shop.yaml'), 'utf8') + APP_RUNBOOKS);
  if (!result.ok) throw new Error('plans/shop.yaml must validate');
  return result.plan;
}

describe('readiness: settings', () => {
  it('when a secret setting is an unresolved Key Vault reference, then the check fails naming the setting, never its value', () => {
    const reference =
      '@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/approval-signing-key/)';
    const checks = settingsChecks({
      ...base,
      APPROVAL_SIGNING_KEY: reference,
      PUBLIC_BASE_URL: 'https://dr.contoso.com',
    });
    const kv = checks.find((c) => c.id === 'key-vault-references');
    expect(kv).toMatchObject({ status: 'fail' });
    expect(kv?.detail).toContain('APPROVAL_SIGNING_KEY');
    expect(kv?.fix).toContain('Key Vault Secrets User');
    expect(JSON.stringify(checks)).not.toContain('kv-x.vault');
  });

  it('when a setting breaks its rule, then the settings check fails with the start-up message', () => {
    const checks = settingsChecks({ ...base, DR_ARM_ENDPOINT: 'http://x' });
    expect(checks.find((c) => c.id === 'settings')).toMatchObject({ status: 'fail' });
    expect(checks.find((c) => c.id === 'settings')?.detail).toContain('DR_ARM_ENDPOINT');
  });

  it('when running in Azure without AZURE_CLIENT_ID or with the static token, then the identity check fails and says what to set', () => {
    const inAzure = { ...base, WEBSITE_SITE_NAME: 'func-api-x' };
    const bad = settingsChecks({ ...inAzure, DR_CREDENTIAL: 'static-token' }).find(
      (c) => c.id === 'identity',
    );
    expect(bad?.status).toBe('fail');
    expect(bad?.detail).toContain('AZURE_CLIENT_ID');
    expect(bad?.detail).toContain('static-token');
    const good = settingsChecks({ ...inAzure, AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555' });
    expect(good.find((c) => c.id === 'identity')?.status).toBe('pass');
    expect(settingsChecks(base).some((c) => c.id === 'identity')).toBe(false);
  });
});

describe('readiness: what plans need', () => {
  it('when the shop plan is read, then its vault, its Automation account with every runbook and its approver group are the targets', () => {
    const targets = planTargets([shop(), shop()]);
    expect(targets.vaults).toHaveLength(1);
    expect(targets.vaults[0]?.sampleItem?.ref).toBeTruthy();
    expect(targets.accounts).toHaveLength(1);
    expect(targets.accounts[0]?.account.account).toBe('aa-dr');
    expect(targets.accounts[0]?.runbooks).toEqual(expect.arrayContaining(['Warm-Cache', 'Reindex-Orders']));
    expect(targets.approvals.map((a) => a.group)).toContain('dr-leads');
  });

  it('when grants use wildcards and notActions, then only the actions they do not cover are missing', () => {
    const required = [
      'Microsoft.Automation/automationAccounts/jobs/write',
      'Microsoft.Automation/automationAccounts/runbooks/read',
    ];
    expect(missingActions([{ actions: ['*'], notActions: [] }], required)).toEqual([]);
    expect(missingActions([{ actions: ['*/read'], notActions: [] }], required)).toEqual([required[0]]);
    expect(
      missingActions([{ actions: ['Microsoft.Automation/*'], notActions: ['*/jobs/write'] }], required),
    ).toEqual([required[0]]);
    expect(missingActions([], required)).toEqual(required);
  });

  it('when an approver group has no Teams webhook and no e-mail, then the notifications check fails naming group and plan', () => {
    const none = notificationChecks([shop()], { teamsWebhooks: {}, email: { kind: 'none' } }, true);
    const check = none.find((c) => c.id === 'notifications');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('dr-leads (plan contoso-shop)');
    const star = notificationChecks(
      [shop()],
      { teamsWebhooks: { '*': 'https://x' }, email: { kind: 'none' } },
      true,
    );
    expect(star.every((c) => c.status === 'pass')).toBe(true);
    const off = notificationChecks(
      [shop()],
      { teamsWebhooks: { '*': 'https://x' }, email: { kind: 'none' } },
      false,
    );
    expect(off.find((c) => c.id === 'approvals')?.status).toBe('fail');
  });
});

describe('the lab roles', () => {
  it('when the lab is asked for an unknown missing role, then the message lists the known ones', () => {
    const scopes = { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'v', automationAccount: 'aa' };
    expect(labAuthorization('p', scopes, 'nope')).toContain('jobs-read');
    const policy = labAuthorization('p', scopes, 'jobs-read');
    expect(typeof policy).toBe('object');
    expect(JSON.stringify(policy)).not.toContain('replicationJobs/read');
  });
});
