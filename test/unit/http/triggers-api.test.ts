import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { putPlan } from '../../../functions/http/plans-api';
import { receiveAlert, secretMatches, type TriggerDeps } from '../../../functions/http/triggers-api';
import type { Proposal, ProposalStorePort } from '../../../core/triggers/proposal';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { fakeDeps, request, shopSource, type TestApi } from './api-fakes';

const secret = 'a-trigger-secret-of-at-least-32-characters';
const rule =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-region-down';

class FakeProposals implements ProposalStorePort {
  readonly byKey = new Map<string, Proposal>();
  private key = (plan: string, alertId: string) => `${plan}|${alertId.toLowerCase()}`;
  async create(p: Proposal): Promise<boolean> {
    if (this.byKey.has(this.key(p.plan, p.alertId))) return false;
    this.byKey.set(this.key(p.plan, p.alertId), p);
    return true;
  }
  async get(plan: string, alertId: string): Promise<Proposal | undefined> {
    return this.byKey.get(this.key(plan, alertId));
  }
  async update(p: Proposal): Promise<void> {
    this.byKey.set(this.key(p.plan, p.alertId), p);
  }
}

type Deps = TestApi & TriggerDeps & { proposals: FakeProposals };

async function withTriggeredShop(options: { secret?: string } = { secret }): Promise<Deps> {
  const deps = { ...fakeDeps(), proposals: new FakeProposals(), triggerSecret: options.secret } as Deps;
  const source = `${shopSource}\ntriggers:\n  - alertRules: ['${rule}']\n    operation: unplanned\n`;
  const stored = await putPlan(
    request('PUT', '/api/plans/contoso-shop', { body: source, params: { name: 'contoso-shop' } }),
    deps,
  );
  expect(stored.status, JSON.stringify(stored.jsonBody)).toBe(201);
  return deps;
}

function alert(alertId: string, monitorCondition: 'Fired' | 'Resolved' = 'Fired', extra: object = {}) {
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/${alertId}`,
        alertRule: 'shop-region-down',
        severity: 'Sev1',
        signalType: 'Metric',
        monitorCondition,
        firedDateTime: '2026-01-01T11:59:00Z',
        ...extra,
      },
      alertContext: {},
    },
  };
}

const post = guarded(receiveAlert);

function send(deps: Deps, body: unknown, options: { plan?: string; key?: string | null } = {}) {
  const plan = options.plan ?? 'contoso-shop';
  const key = options.key === undefined ? secret : options.key;
  const query = key === null ? '' : `?secret=${encodeURIComponent(key)}`;
  return post(
    request('POST', `/api/triggers/${plan}${query}`, { body: body as object, params: { name: plan } }),
    deps,
  );
}

const bodyOf = (r: { jsonBody?: unknown }) => r.jsonBody as Record<string, unknown>;

describe('POST /api/triggers/{plan}', () => {
  it('when the secret is wrong, missing or not configured, then 401 says nothing more and nothing is proposed', async () => {
    const deps = await withTriggeredShop();
    for (const key of ['wrong', null]) {
      const response = await send(deps, alert('a1'), { key });
      expect(response.status).toBe(401);
      expect(bodyOf(response)).toEqual({ error: { code: 'unauthorized', message: 'unauthorized' } });
    }
    // Even for a plan that does not exist: no oracle without the secret.
    expect((await send(deps, alert('a1'), { plan: 'no-such-plan', key: 'wrong' })).status).toBe(401);
    const unset = await withTriggeredShop({});
    expect((await send(unset, alert('a1'))).status).toBe(401);
    expect(deps.engine.started).toEqual([]);
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(`${secret}x`, secret)).toBe(false);
  });

  it('when the payload is not the common alert schema, then 400 names the field', async () => {
    const deps = await withTriggeredShop();
    const bad = await send(deps, alert('a1', 'Fired', { monitorCondition: 'Firing' }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bodyOf(bad))).toContain('data.essentials.monitorCondition');
    const noSchema = await send(deps, { data: {} });
    expect(noSchema.status).toBe(400);
    expect(JSON.stringify(bodyOf(noSchema))).toContain('schemaId');
    const otherRule = await send(deps, alert('a1', 'Fired', { alertRule: 'cpu-high' }));
    expect(otherRule.status).toBe(400);
    expect(bodyOf(otherRule)).toMatchObject({ error: { code: 'no-matching-trigger' } });
    expect(deps.engine.started).toEqual([]);
  });

  it('when the plan does not exist, then 404', async () => {
    const deps = await withTriggeredShop();
    expect((await send(deps, alert('a1'), { plan: 'no-such-plan' })).status).toBe(404);
  });

  it('when an alert fires, then a run of the trigger operation is proposed with the alert as initiator, and audited', async () => {
    const deps = await withTriggeredShop();
    const response = await send(deps, alert('a1'));
    expect(response.status).toBe(202);
    const { runId } = bodyOf(response) as { runId: string };
    expect(bodyOf(response)).toMatchObject({ outcome: 'proposed', operation: 'unplanned' });
    expect(deps.engine.started).toHaveLength(1);
    expect(deps.engine.started[0]).toMatchObject({
      runId,
      operation: 'unplanned',
      initiator: { id: 'alert:trigger-1', name: 'alert shop-region-down' },
      trigger: { id: 'trigger-1', rule },
    });
    const audit = await deps.artifacts.readAudit(runId);
    expect(audit.map((r) => r.event)).toEqual(['run-accepted', 'trigger-proposed']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('when the same alert comes again, or another alert while the run is active, then there is still one proposal', async () => {
    const deps = await withTriggeredShop();
    const first = bodyOf(await send(deps, alert('a1'))) as { runId: string };
    const again = await send(deps, alert('a1'));
    expect([again.status, bodyOf(again)]).toEqual([
      200,
      { outcome: 'duplicate', runId: first.runId, status: 'proposed' },
    ]);
    const other = await send(deps, alert('a2'));
    expect([other.status, bodyOf(other)]).toEqual([200, { outcome: 'joined', runId: first.runId }]);
    expect(deps.engine.started).toHaveLength(1);
    const events = (await deps.artifacts.readAudit(first.runId)).map((r) => r.event);
    expect(events.filter((e) => e === 'trigger-duplicate')).toHaveLength(2);
  });

  it('when the alert resolves while the run waits for approval, then the proposal is withdrawn: the run is cancelled with the reason', async () => {
    const deps = await withTriggeredShop();
    const { runId } = bodyOf(await send(deps, alert('a1'))) as { runId: string };
    deps.engine.progress(runId, {
      waiting: [{ stepId: 'approve', kind: 'approval', group: 'dr-leads', since: '2026-01-01T12:00:00Z' }],
      steps: [
        {
          id: 'approve',
          kind: 'approval',
          status: 'waiting',
          attempts: 1,
          startedAt: '2026-01-01T12:00:00Z',
        },
        { id: 'sql', kind: 'failover', status: 'pending', attempts: 0 },
      ],
    });
    const response = await send(deps, alert('a1', 'Resolved'));
    expect(bodyOf(response)).toMatchObject({ outcome: 'withdrawn', runId });
    expect(deps.engine.events).toEqual([
      {
        runId,
        event: RUN_EVENTS.cancel,
        payload: expect.objectContaining({
          by: { id: 'alert:trigger-1', name: 'alert shop-region-down' },
          reason: expect.stringContaining('alert shop-region-down resolved before approval'),
        }),
      },
    ]);
    expect((await deps.proposals.get('contoso-shop', alert('a1').data.essentials.alertId))?.status).toBe(
      'withdrawn',
    );
    expect((await deps.artifacts.readAudit(runId)).map((r) => r.event)).toContain('trigger-withdrawn');
  });

  it('when the alert resolves after the approval, then the run is kept', async () => {
    const deps = await withTriggeredShop();
    const { runId } = bodyOf(await send(deps, alert('a1'))) as { runId: string };
    deps.engine.progress(runId, {
      steps: [
        {
          id: 'approve',
          kind: 'approval',
          status: 'succeeded',
          attempts: 1,
          startedAt: '2026-01-01T12:00:00Z',
          endedAt: '2026-01-01T12:01:00Z',
        },
        { id: 'sql', kind: 'failover', status: 'running', attempts: 1, startedAt: '2026-01-01T12:01:00Z' },
      ],
    });
    const response = await send(deps, alert('a1', 'Resolved'));
    expect(bodyOf(response)).toMatchObject({ outcome: 'kept', runId });
    expect(deps.engine.events).toEqual([]);
  });
});
