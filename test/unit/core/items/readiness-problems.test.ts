import { describe, expect, it } from 'vitest';
import { readinessProblems } from '../../../../core/items/readiness-problems';
import type { ProtectedItemState } from '../../../../core/ports/site-recovery-port';

const item = (over: Partial<ProtectedItemState> = {}): ProtectedItemState => ({
  id: '/items/vm',
  name: 'vm',
  fabricName: 'f',
  containerName: 'c',
  friendlyName: 'vm',
  providerType: 'HyperVReplicaAzure',
  protectionState: 'Protected',
  replicationHealth: 'Normal',
  allowedOperations: ['UnplannedFailover', 'TestFailover', 'PlannedFailover'],
  activeLocation: 'Primary',
  rpoSeconds: 60,
  ...over,
});

describe('readinessProblems', () => {
  it('when the item allows the action, is healthy and within its RPO objective, then it is ready', () => {
    expect(readinessProblems('plannedFailover', item(), 5)).toEqual([]);
  });

  it('when the item is unhealthy, lags past the objective and does not allow the action, then each problem is named', () => {
    const problems = readinessProblems(
      'failoverCommit',
      item({ replicationHealth: 'Critical', rpoSeconds: 1800 }),
      15,
    );
    expect(problems.map((p) => p.code)).toEqual([
      'OperationNotAllowed',
      'ReplicationUnhealthy',
      'RpoOverObjective',
    ]);
  });

  it('when a job runs on the item, then it is in progress but not refused as not allowed', () => {
    const busy = item({
      allowedOperations: [],
      currentScenario: { scenarioName: 'UnplannedFailover', jobName: 'j1' },
    });
    expect(readinessProblems('unplannedFailover', busy).map((p) => p.code)).toEqual(['OperationInProgress']);
  });
});
