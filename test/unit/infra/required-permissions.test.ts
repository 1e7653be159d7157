import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armActionOf } from '@durable-recovery/asr-simulator';
import { permissionFor, REQUIRED_PERMISSIONS } from '../../../adapters/arm/required-permissions';
import { actionRequest } from '../../../adapters/site-recovery/item-actions';
import { ITEM_ACTIONS } from '../../../core/items/item-actions';
import type { ItemAction } from '../../../core/ports/site-recovery-port';
import { REQUIRED_ACTIONS_FILE, requiredActionsJson } from '../../../scripts/infra/required-actions';
import { PortError } from '../../../core/ports/port-error';
import type { ReprotectSettings } from '../../../core/items/reprotect-settings';
import { itemState, vault } from '../core/items/item-fixtures';

/** A plan's reprotect block with every value a provider may need, so every reprotect row posts. */
const storage = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/log';
const everyReprotectValue: ReprotectSettings = {
  reprotectAgentId: 'agent',
  datastoreName: 'datastore',
  logStorageAccountId: storage,
  policyId: 'policy',
  failbackPolicyId: 'failback-policy',
  processServerId: 'ps',
  runAsAccountId: 'run-as',
  masterTargetId: 'mt',
  retentionDrive: 'R:',
  profileId: 'profile',
  storageAccountId: storage,
  hvHostVmId: 'hv-vm',
  vmName: 'vm-1',
  osType: 'Windows',
  vhdId: 'vhd',
};

const root = join(__dirname, '../../..');

describe('the least-privilege list', () => {
  it('when any provider row of the item-action table posts its action, then the list grants that ARM action', () => {
    const missing: string[] = [];
    const posted = new Set<string>();
    for (const [provider, rows] of Object.entries(ITEM_ACTIONS))
      for (const action of Object.keys(rows) as ItemAction[])
        for (const activeLocation of ['Primary', 'Recovery']) {
          const item = itemState({ providerType: provider, activeLocation });
          let path: string;
          try {
            ({ path } = actionRequest(
              {
                vault,
                itemId: item.id,
                action,
                recoveryPointId: `${item.id}/recoveryPoints/p1`,
                reprotect: everyReprotectValue,
              },
              item,
            ));
          } catch (error) {
            // An operation the provider does not have (A2A planned failover) posts nothing.
            if (error instanceof PortError && error.info.code === 'OperationNotSupported') continue;
            throw error;
          }
          posted.add(provider);
          const needed = armActionOf('POST', path)?.action ?? `(no action for ${path})`;
          if (!permissionFor(needed)) missing.push(`${provider} ${action}: ${needed}`);
        }
    expect(missing).toEqual([]);
    expect([...posted].sort()).toEqual(Object.keys(ITEM_ACTIONS).sort());
  });

  it('when the list is read, then every entry is a distinct provider action with a scope and a reason', () => {
    const actions = REQUIRED_PERMISSIONS.map((p) => p.action.toLowerCase());
    expect(new Set(actions).size).toBe(actions.length);
    for (const permission of REQUIRED_PERMISSIONS) {
      expect(permission.action).toMatch(
        /^Microsoft\.(RecoveryServices\/vaults|Automation\/automationAccounts|AlertsManagement\/alerts|Network|Compute\/virtualMachines)\//,
      );
      expect(permission.action).not.toContain('*');
      expect(permission.usedBy.length).toBeGreaterThan(0);
      const expectedScope = permission.action.startsWith('Microsoft.Automation')
        ? 'automationAccount'
        : permission.action.startsWith('Microsoft.AlertsManagement')
          ? 'subscription'
          : permission.action.startsWith('Microsoft.RecoveryServices')
            ? 'vault'
            : 'resourceGroup';
      expect(permission.scope).toBe(expectedScope);
    }
  });

  it('when infra/app/required-actions.json is read, then it is exactly the list (run npm run infra:permissions)', () => {
    expect(readFileSync(join(root, REQUIRED_ACTIONS_FILE), 'utf8')).toBe(requiredActionsJson());
  });
});

describe('the action of an ARM request (as the simulator and ARM derive it)', () => {
  const vaultId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v';
  const account = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa';

  it('when a GET lists a collection or reads a resource, then the action is the types path plus read', () => {
    expect(armActionOf('GET', `${vaultId}/replicationJobs`)).toEqual({
      action: 'Microsoft.RecoveryServices/vaults/replicationJobs/read',
      scope: `${vaultId}/replicationJobs`,
    });
    expect(armActionOf('GET', `${account}/jobs/j1/output`)?.action).toBe(
      'Microsoft.Automation/automationAccounts/jobs/output/read',
    );
    expect(armActionOf('PUT', `${account}/jobs/j1`)?.action).toBe(
      'Microsoft.Automation/automationAccounts/jobs/write',
    );
  });

  it('when a POST names an action segment, then the action is segment/action over the resource it is posted to', () => {
    const itemId = `${vaultId}/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/i`;
    expect(armActionOf('POST', `${itemId}/unplannedFailover`)).toEqual({
      action:
        'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/unplannedFailover/action',
      scope: itemId,
    });
    expect(armActionOf('POST', `${account}/jobs/j1/stop`)?.action).toBe(
      'Microsoft.Automation/automationAccounts/jobs/stop/action',
    );
  });

  it('when a path names no resource provider, then there is no action to check', () => {
    expect(armActionOf('GET', '/subscriptions/s/resourceGroups/rg')).toBeUndefined();
    expect(armActionOf('POST', '/webhooks')).toBeUndefined();
  });
});
