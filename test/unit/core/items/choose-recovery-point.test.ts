import { describe, expect, it } from 'vitest';
import { chooseRecoveryPoint } from '../../../../core/items/choose-recovery-point';
import { ITEM_ACTION } from '../../../../core/items/item-actions';

const points = [
  { id: '/rp/1', name: '1', time: '2026-01-01T00:00:00Z', type: 'ApplicationConsistent' },
  { id: '/rp/2', name: '2', time: '2026-01-01T00:10:00Z', type: 'CrashConsistent' },
  { id: '/rp/3', name: '3', time: '2026-01-01T00:05:00Z', type: 'ApplicationConsistent' },
];

describe('item actions and recovery points', () => {
  it('when the operation is test, cleanup or failback, then the documented item action is used', () => {
    expect(ITEM_ACTION.test).toBe('testFailover');
    expect(ITEM_ACTION.cleanup).toBe('testFailoverCleanup');
    expect(ITEM_ACTION.failback).toBe('failback');
    expect(ITEM_ACTION.planned).toBe('plannedFailover');
  });

  it('when latest processed is asked, then the newest point of any kind is picked', () => {
    expect(chooseRecoveryPoint({ type: 'latestProcessed' }, points)).toMatchObject({ ok: true, id: '/rp/2' });
  });

  it('when latest application-consistent is asked, then the newest such point is picked', () => {
    expect(chooseRecoveryPoint({ type: 'latestApplicationConsistent' }, points)).toMatchObject({
      ok: true,
      id: '/rp/3',
    });
  });

  it('when latest is asked, then no point id is sent (the provider processes pending data)', () => {
    expect(chooseRecoveryPoint({ type: 'latest' }, points)).toEqual({ ok: true });
  });

  it('when no point of the wanted kind exists, then the choice fails with a clear message', () => {
    const result = chooseRecoveryPoint({ type: 'latestApplicationConsistent' }, points.slice(1, 2));
    expect(result).toEqual({
      ok: false,
      message: 'no application consistent recovery point is available (the item lists 1)',
    });
  });

  it('when a specific point id is given, then it is used as is', () => {
    expect(chooseRecoveryPoint({ type: 'id', id: '/rp/1' }, points)).toMatchObject({
      ok: true,
      id: '/rp/1',
      point: points[0],
    });
  });
});
