import { describe, expect, it } from 'vitest';
import { accessChecks, type AccessDeps } from '../../../adapters/readiness/access-checks';
import { storageAndPlans } from '../../../adapters/readiness/storage-checks';
import type { PlanStorePort } from '../../../core/ports/plan-store-port';
import { PortError } from '../../../core/ports/port-error';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { validatePlan } from '../../../core/plan/validate-plan';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const shopSource = readFileSync(join(__dirname, '../../../plans/shop.yaml'), 'utf8');

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
  const result = validatePlan(shopSource + APP_RUNBOOKS);
  if (!result.ok) throw new Error('plans/shop.yaml must validate');
  return result.plan;
}

const store = (list: PlanStorePort['list']): PlanStorePort => ({
  list,
  get: async (name) => ({ name, hash: 'h', source: shopSource, storedAt: '2026-01-01T00:00:00Z' }),
  put: () => Promise.reject(new Error('readiness never writes')),
  listVersions: () => Promise.reject(new Error('readiness never lists versions')),
});

describe('readiness: storage', () => {
  it('when the plan store refuses, then storage fails and the fix names the account without its query string', async () => {
    const forbidden = new PortError({
      kind: 'terminal',
      code: 'AuthorizationPermissionMismatch',
      message: 'no',
      status: 403,
    });
    const { checks, plans } = await storageAndPlans({
      plans: store(() => Promise.reject(forbidden)),
      env: { DR_STORAGE_BLOB_URL: 'https://st1.blob.core.windows.net/?sv=2024&sig=SECRET' },
    });
    expect(plans).toEqual([]);
    expect(checks[0]).toMatchObject({ id: 'storage', status: 'fail' });
    expect(checks[0]?.fix).toContain('https://st1.blob.core.windows.net');
    expect(JSON.stringify(checks)).not.toContain('SECRET');
  });

  it('when plans are stored, then they are parsed for the access checks; none stored is a warning', async () => {
    const stored = await storageAndPlans({
      plans: store(async () => [{ name: 'contoso-shop', hash: 'h', storedAt: '' }]),
      env: {},
    });
    expect(stored.plans.map((p) => p.metadata.name)).toEqual(['contoso-shop']);
    const empty = await storageAndPlans({ plans: store(async () => []), env: {} });
    expect(empty.checks.find((c) => c.id === 'plans')?.status).toBe('warn');
  });
});

describe('readiness: access', () => {
  const notCalled = (): Promise<never> => Promise.reject(new Error('not expected'));
  const deps = (over: Partial<AccessDeps> = {}): AccessDeps => ({
    siteRecovery: {
      findItem: async () => undefined,
      getItem: notCalled,
      listRecoveryPoints: notCalled,
      startAction: notCalled,
      getJob: () =>
        Promise.reject(
          new PortError({
            kind: 'notFound',
            code: 'NotFound',
            message: "The job 'durable-recovery-readiness-probe' was not found.",
            status: 404,
          }),
        ),
      listJobsForItem: notCalled,
    },
    automation: {
      runbookExists: async (_account, name) => name !== 'Warm-Cache',
      startJob: notCalled,
      getJob: notCalled,
      getJobOutput: notCalled,
      stopJob: notCalled,
    },
    permissions: { permissionsAt: async () => [{ actions: ['*'], notActions: [] }] },
    ...over,
  });

  it('when a runbook is missing and an item is not in the vault, then runbooks fail naming it and items warn', async () => {
    const checks = await accessChecks(deps(), [shop()]);
    const runbooks = checks.find((c) => c.id === 'runbooks:aa-dr');
    expect(runbooks).toMatchObject({ status: 'fail' });
    expect(runbooks?.detail).toContain('Warm-Cache');
    expect(checks.find((c) => c.id.startsWith('vault-items:'))?.status).toBe('warn');
    expect(checks.find((c) => c.id.startsWith('vault-jobs:'))?.status).toBe('pass');
  });

  it('when the permissions cannot be listed, then the role check warns instead of guessing', async () => {
    const checks = await accessChecks(
      deps({
        permissions: {
          permissionsAt: () =>
            Promise.reject(
              new PortError({
                kind: 'retryable',
                code: 'ServiceUnavailable',
                message: 'try later',
                status: 503,
              }),
            ),
        },
      }),
      [shop()],
    );
    expect(checks.find((c) => c.id.startsWith('vault-role:'))).toMatchObject({ status: 'warn' });
  });

  it('when the vault itself is missing, then reading jobs fails rather than passing on a 404', async () => {
    const checks = await accessChecks(
      deps({
        siteRecovery: {
          ...deps().siteRecovery,
          getJob: () =>
            Promise.reject(
              new PortError({
                kind: 'notFound',
                code: 'ResourceNotFound',
                message: "The vault 'v' was not found.",
                status: 404,
              }),
            ),
        },
      }),
      [shop()],
    );
    expect(checks.find((c) => c.id.startsWith('vault-jobs:'))?.status).toBe('fail');
  });
});
