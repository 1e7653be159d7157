import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { listDrills } from '../../../functions/http/drills-api';
import type { ApiDeps } from '../../../functions/http/api-deps';
import type { ApiRequest } from '../../../functions/http/api-response';
import { guarded } from '../../../functions/http/api-response';
import { getPlan, putPlan } from '../../../functions/http/plans-api';
import { approveStep, decideStep } from '../../../functions/http/run-decisions';
import { cancelRun, getReport, getRun } from '../../../functions/http/runs-api';
import { startRun } from '../../../functions/http/start-run';
import { FakeDrillStore } from '../drills/fake-drill-store';
import type { TestApi } from './api-fakes';
import { fakeDeps, request, shopSource } from './api-fakes';

type Handler = (request: ApiRequest, deps: ApiDeps) => Promise<HttpResponseInit>;

async function withShop(): Promise<TestApi> {
  const deps = fakeDeps();
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
    deps,
  );
  return deps;
}

/** Route parameters as the host decodes them from URLs people (or attackers) type. */
const badNames = [
  'a..b',
  '..',
  'plans/../../runs',
  'a%2Fb',
  'has space',
  'x'.repeat(300),
  'ünïcødé',
  'Contoso-Shop',
  '-leading',
  'nul\u0000byte',
];
const badRunIds = ['../x', 'a/b', 'has space', 'r'.repeat(300), 'ünï', '%2e%2e', 'a\u200bb', '-x'];

function errorOf(response: HttpResponseInit): { code: string; message: string } {
  return (response.jsonBody as { error: { code: string; message: string } }).error;
}

describe('bad plan names in the URL', () => {
  const routes: [string, Handler, 'GET' | 'PUT' | 'POST', string | object | undefined][] = [
    ['start a run', startRun, 'POST', { operation: 'test' }],
    ['put a plan', putPlan, 'PUT', shopSource],
    ['get a plan', getPlan, 'GET', undefined],
    ['list drills', (r, d) => listDrills(r, d, new FakeDrillStore()), 'GET', undefined],
  ];
  for (const [what, handler, method, body] of routes) {
    it(`when a request to ${what} names a plan no plan can have, then 400 invalid-plan-name names the field and nothing is stored or started`, async () => {
      const deps = await withShop();
      for (const name of badNames) {
        const response = await guarded(handler)(
          request(method, '/api/plans/x', { params: { name }, ...(body ? { body } : {}) }),
          deps,
        );
        expect(response.status, name).toBe(400);
        expect(errorOf(response).code, name).toBe('invalid-plan-name');
        expect(errorOf(response).message, name).toMatch(/^name: .* must be 1-63 lowercase letters/);
      }
      expect(deps.engine.started).toHaveLength(0);
      expect(deps.plans.versions).toHaveLength(1);
    });
  }

  it('when the name is 300 characters, then the message shows a shortened name, not all of it', async () => {
    const deps = await withShop();
    const response = await guarded(startRun)(
      request('POST', '/api/plans/x', { params: { name: 'x'.repeat(300) }, body: { operation: 'test' } }),
      deps,
    );
    expect(errorOf(response).message.length).toBeLessThan(250);
  });
});

describe('bad run ids in the URL', () => {
  const routes: [string, Handler, 'GET' | 'POST', object | undefined][] = [
    ['get a run', getRun, 'GET', undefined],
    ['get a report', getReport, 'GET', undefined],
    ['cancel', cancelRun, 'POST', {}],
    ['approve', approveStep, 'POST', { stepId: 'approve', approve: true }],
    ['decide', decideStep, 'POST', { stepId: 'sql-ag', action: 'retry' }],
  ];
  for (const [what, handler, method, body] of routes) {
    it(`when a request to ${what} names an id no run can have, then 400 invalid-run-id names the field`, async () => {
      const deps = await withShop();
      for (const runId of badRunIds) {
        const response = await guarded(handler)(
          request(method, '/api/runs/x', {
            params: { runId },
            user: 'alice@contoso.com',
            ...(body ? { body } : {}),
          }),
          deps,
        );
        expect(response.status, runId).toBe(400);
        expect(errorOf(response), runId).toMatchObject({ code: 'invalid-run-id' });
        expect(errorOf(response).message, runId).toMatch(/^runId: /);
      }
      expect(deps.engine.events).toHaveLength(0);
    });
  }

  it('when the id is well formed but unknown (a drill id, a sub-plan run id), then 404 run-not-found as before', async () => {
    const deps = await withShop();
    for (const runId of ['drill-contoso-shop-20260101T000000Z', 'run-1:network:1:plan', 'a_b']) {
      const response = await guarded(getRun)(request('GET', '/api/runs/x', { params: { runId } }), deps);
      expect([response.status, errorOf(response).code], runId).toEqual([404, 'run-not-found']);
    }
  });
});

describe('recovery point ids in a start', () => {
  const item =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/vault-dr/replicationFabrics/fabric-1/replicationProtectionContainers/container-1/replicationProtectedItems/sql-01';
  const point = `${item}/recoveryPoints/7c0f5b8e-8a1d-4d5c-9a57-3d2f1e0c6b41`;

  async function startWith(body: object): Promise<{ deps: TestApi; response: HttpResponseInit }> {
    const deps = await withShop();
    const response = await guarded(startRun)(
      request('POST', '/api/plans/contoso-shop/runs', {
        params: { name: 'contoso-shop' },
        body: { operation: 'unplanned', ...body },
      }),
      deps,
    );
    return { deps, response };
  }

  const bad: [string, string][] = [
    ['a path that is no ARM id', '/rp/1'],
    ['a protected item, not a point', item],
    [
      'a VM id',
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm',
    ],
    ['a subscription that is no GUID', point.replace('00000000-0000-0000-0000-000000000000', 'contoso')],
    ['a dot-dot segment', `${item}/recoveryPoints/..`],
    ['an encoded slash', `${item}/recoveryPoints/a%2Fb`],
    ['a query', `${point}?api-version=1`],
    ['a URL', `https://management.azure.com${point}`],
    ['a trailing segment', `${point}/extra`],
    ['spaces', `${item}/recoveryPoints/a b`],
    ['too long', `${item}/recoveryPoints/${'p'.repeat(1100)}`],
    ['empty', ''],
  ];

  it('when recoveryPoint.id is not a recovery point ARM id, then 400 names recoveryPoint.id and the rule, and nothing starts', async () => {
    for (const [why, id] of bad) {
      const { deps, response } = await startWith({ recoveryPoint: { id } });
      expect(response.status, why).toBe(400);
      expect(errorOf(response).message, why).toMatch(/^recoveryPoint\.id: must .*\[recovery-point-id\]/);
      expect(deps.engine.started, why).toHaveLength(0);
    }
  });

  it('when an itemRecoveryPoints value is not a recovery point ARM id, then 400 names the item and the rule', async () => {
    for (const [why, id] of bad) {
      const { deps, response } = await startWith({ itemRecoveryPoints: { 'sql-01': id } });
      expect(response.status, why).toBe(400);
      expect(errorOf(response).message, why).toMatch(
        /^itemRecoveryPoints\.sql-01: must .*\[recovery-point-id\]/,
      );
      expect(response.jsonBody, why).toMatchObject({
        error: { details: [{ field: 'itemRecoveryPoints.sql-01', rule: 'recovery-point-id' }] },
      });
      expect(deps.engine.started, why).toHaveLength(0);
    }
  });

  it('when the ids are real recovery point ids in any letter case, then the run starts with them', async () => {
    const shouting = point
      .replace('/subscriptions/', '/Subscriptions/')
      .replace('recoveryPoints', 'RECOVERYPOINTS');
    const { deps, response } = await startWith({
      recoveryPoint: { id: point.toLowerCase() },
      itemRecoveryPoints: { 'sql-01': shouting },
    });
    expect(response.status).toBe(202);
    expect(deps.engine.started[0]).toMatchObject({
      recoveryPoint: { type: 'id', id: point.toLowerCase() },
      itemRecoveryPoints: { 'sql-01': shouting },
    });
  });
});
