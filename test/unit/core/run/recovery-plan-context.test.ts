import { describe, expect, it } from 'vitest';
import {
  recoveryPlanContext,
  recoveryPlanContextParameter,
} from '../../../../core/run/recovery-plan-context';
import type { ProtectedItemState } from '../../../../core/ports/site-recovery-port';

const sub = '11111111-2222-3333-4444-555555555555';
const item: ProtectedItemState = {
  id: `/Subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/9a1c`,
  name: '9a1c',
  fabricName: 'f',
  containerName: 'c',
  friendlyName: 'sql-01',
  vmId: `/subscriptions/${sub}/resourceGroups/rg-app-uksouth/providers/Microsoft.Compute/virtualMachines/sql-01`,
  providerType: 'A2A',
  protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
  replicationHealth: 'Normal',
  allowedOperations: ['Commit'],
  activeLocation: 'Recovery',
  recoveryVmId: `/subscriptions/${sub}/resourceGroups/rg-app-ukwest/providers/Microsoft.Compute/virtualMachines/sql-01`,
  recoveryVmName: 'sql-01',
  recoveryResourceGroupId: `/subscriptions/${sub}/resourceGroups/rg-app-ukwest`,
};
const point = { id: `${item.id}/recoveryPoints/p1`, time: '2026-11-25T10:00:00.000Z' };

describe('recoveryPlanContext', () => {
  it('when built for a post-action of an unplanned failover, then it has ASR’s shape with the recovery VM filled in', () => {
    const context = recoveryPlanContext({
      planName: 'shop',
      operation: 'unplanned',
      groupId: 'Group1',
      stage: 'post',
      items: [{ item, recoveryPoint: point }],
    });
    expect(context).toEqual({
      RecoveryPlanName: 'shop',
      FailoverType: 'Unplanned',
      FailoverDirection: 'PrimaryToSecondary',
      GroupId: 'Group1',
      VmMap: {
        '9a1c': {
          SubscriptionId: sub,
          ResourceGroupName: 'rg-app-ukwest',
          CloudServiceName: null,
          RoleName: 'sql-01',
          RecoveryPointId: point.id,
          RecoveryPointTime: `/Date(${Date.parse(point.time)})/`,
        },
      },
    });
  });

  it('when built for a pre-action, then ResourceGroupName and RoleName are empty as ASR sends them', () => {
    const context = recoveryPlanContext({
      planName: 'shop',
      operation: 'test',
      groupId: '1',
      stage: 'pre',
      items: [{ item }],
    });
    expect(context.FailoverType).toBe('Test');
    expect(context.VmMap['9a1c']).toMatchObject({
      ResourceGroupName: '',
      RoleName: '',
      RecoveryPointId: '',
      RecoveryPointTime: '',
    });
  });

  it('when built for a test post-action, then RoleName is the test VM and a failback runs SecondaryToPrimary', () => {
    const test = recoveryPlanContext({
      planName: 'p',
      operation: 'test',
      groupId: '1',
      stage: 'post',
      items: [{ item: { ...item, testVmName: 'sql-01-test' } }],
    });
    expect(test.VmMap['9a1c']?.RoleName).toBe('sql-01-test');
    const back = recoveryPlanContext({
      planName: 'p',
      operation: 'failback',
      groupId: '1',
      stage: 'post',
      items: [],
    });
    expect(back.FailoverDirection).toBe('SecondaryToPrimary');
  });

  it('when passed as a runbook parameter, then it is the JSON string runbooks ConvertFrom-Json', () => {
    const context = recoveryPlanContext({
      planName: 'p',
      operation: 'planned',
      groupId: '2',
      stage: 'pre',
      items: [{ item }],
    });
    expect(JSON.parse(recoveryPlanContextParameter(context))).toEqual(context);
  });
});
