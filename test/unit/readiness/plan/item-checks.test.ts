import { describe, expect, it } from 'vitest';
import {
  itemsExistCheck,
  itemsProtectedCheck,
  recoveryPointAgeCheck,
  replicationHealthCheck,
  rpoCheck,
} from '../../../../core/readiness/plan/item-checks';
import { operationsCheck } from '../../../../core/readiness/plan/operation-check';
import { found, items, NOW, plan, refused } from './plan-fixtures';

describe('item readiness checks', () => {
  it('when every item is found, protected, healthy and current, then each item check is ok', () => {
    const p = plan();
    const facts = items();
    expect(itemsExistCheck(p, facts).status).toBe('ok');
    expect(itemsProtectedCheck(facts).status).toBe('ok');
    expect(replicationHealthCheck(facts).status).toBe('ok');
    expect(rpoCheck(p, facts).status).toBe('ok');
    expect(recoveryPointAgeCheck(p, facts, NOW).status).toBe('ok');
    expect(operationsCheck(p, facts).status).toBe('ok');
  });

  it('when an item is gone from the vault, then items-exist fails naming it and its step', () => {
    const facts = items();
    facts[1] = { ...facts[1]!, read: found(undefined) };
    const check = itemsExistCheck(plan(), facts);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('app-2 (step fail-app)');
    expect(check.evidence).toContain('vault-1');
  });

  it('when reading items is refused, then items-exist fails naming the action and scope', () => {
    const facts = items();
    const action = 'Microsoft.RecoveryServices/vaults/replicationProtectedItems/read';
    facts[0] = { ...facts[0]!, read: refused('reading item app-1', action, '/subscriptions/x/vault') };
    const check = itemsExistCheck(plan(), facts);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain(
      `ARM refused '${action}' over '/subscriptions/x/vault' (403 AuthorizationFailed)`,
    );
    expect(check.fix).toContain(action);
  });

  it('when an item is failed over, then items-protected fails and operations says test failover is blocked — commit or reprotect first', () => {
    const failedOver = {
      protectionState: 'FailoverCommitted',
      activeLocation: 'Recovery',
      allowedOperations: ['ReverseReplicate'],
    };
    const facts = items(failedOver, failedOver);
    expect(itemsProtectedCheck(facts)).toMatchObject({ status: 'failing' });
    const ops = operationsCheck(plan(), facts);
    expect(ops.status).toBe('failing');
    expect(ops.evidence).toContain(
      'test failover blocked: 2 items are failed over (app-1, app-2) — commit or reprotect first',
    );
  });

  it('when a plan runs planned failovers of A2A items, then operations warns that A2A has none (not failing: other operations run)', () => {
    const check = operationsCheck(plan('', 'test, planned, unplanned'), items());
    expect(check.status).toBe('warning');
    expect(check.evidence).toContain(
      'planned failover is not supported for 2 items (app-1 (A2A), app-2 (A2A))',
    );
  });

  it('when one item has a test failover awaiting cleanup, then test failover is blocked — run the cleanup first', () => {
    const check = operationsCheck(
      plan(),
      items({ testFailoverState: 'TestFailoverCompleting', allowedOperations: ['TestFailoverCleanup'] }),
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain(
      'test failover blocked: 1 item is in a test failover awaiting cleanup (app-1) — run the cleanup first',
    );
  });

  it('when health is Critical on one item and Warning on another, then replication-health fails naming both', () => {
    const check = replicationHealthCheck(
      items({ replicationHealth: 'Critical' }, { replicationHealth: 'Warning' }),
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('critical: app-1');
    expect(check.evidence).toContain('warning: app-2');
    expect(replicationHealthCheck(items({}, { replicationHealth: 'Warning' })).status).toBe('warning');
  });

  it('when the lag of an item is over the objective, then rpo fails with its minutes; a provider without a lag field is noted', () => {
    const check = rpoCheck(
      plan(),
      items({ rpoSeconds: 1500 }, { rpoSeconds: undefined, providerType: 'InMageRcmFailback' }),
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('app-1 25.0 min');
    expect(check.evidence).toContain('1 item report no lag (InMageRcmFailback)');
  });

  it('when the newest recovery point is older than the objective, then recovery-point-age fails with its age', () => {
    const check = recoveryPointAgeCheck(
      plan(),
      items({ lastRecoveryPointTime: '2026-12-02T06:00:00.000Z' }),
      NOW,
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('app-1 60 min');
  });

  it('when an item is still in initial replication, then items-protected warns with its progress', () => {
    const check = itemsProtectedCheck(items({ initialReplicationPercent: 40, allowedOperations: [] }));
    expect(check.status).toBe('warning');
    expect(check.evidence).toContain('app-1 40%');
  });
});
