import type { AppAdapters } from '../../adapters/config/app-adapters';
import type { FailoverItem } from '../../core/plan/plan-types';
import type { AutomationAccountRef } from '../../core/ports/automation-port';
import type { ProtectedItemState, SiteRecoveryPort, VaultRef } from '../../core/ports/site-recovery-port';
import { PortError } from '../../core/ports/port-error';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../core/run/activity-contracts';
import { startItemAction, startItemActionByRef } from '../../core/items/start-item-action';
import { applyNetworkChanges } from '../../core/network/apply-network-changes';
import { planNetworkStep } from '../../core/network/plan-network-step';

type Bodies = {
  [N in ActivityName]: (input: ActivityInput<N>, ports: AppAdapters) => Promise<ActivityOutput<N>>;
};

const terminalJobStates = new Set(['Completed', 'Failed', 'Stopped']);

/** What each activity does, over the ports; registration and input checks live in activity-runner. */
export const activityBodies: Bodies = {
  readItem: ({ vault, item }, { siteRecovery }) => findOrFail(siteRecovery, vault, item),
  listRecoveryPoints: ({ vault, itemId }, { siteRecovery }) => siteRecovery.listRecoveryPoints(vault, itemId),
  startItemAction: (input, { siteRecovery }) => startItemAction(siteRecovery, input),
  startItemActionByRef: (input, { siteRecovery }) => startItemActionByRef(siteRecovery, input),
  readJob: ({ vault, jobName }, { siteRecovery }) => siteRecovery.getJob(vault, jobName),
  pollItemJob: async ({ vault, jobName, item }, { siteRecovery }) => {
    const job = await siteRecovery.getJob(vault, jobName);
    if (job.status !== 'Succeeded') return { job };
    return { job, item: await findOrFail(siteRecovery, vault, item) };
  },
  startRunbook: ({ runbook, jobName, parameters }, { automation }) =>
    automation.startJob(accountOf(runbook), jobName, runbook.name, { ...runbook.parameters, ...parameters }),
  readRunbookJob: async (input, { automation }) => {
    const job = await automation.getJob(accountOf(input), input.jobName);
    if (!terminalJobStates.has(job.status)) return job;
    return { ...job, output: await automation.getJobOutput(accountOf(input), input.jobName) };
  },
  runbookExists: (input, { automation }) => automation.runbookExists(accountOf(input), input.runbook),
  httpCall: (input, { http }) => http.call(input),
  writeReport: async (report, { artifacts }) => ({ path: await artifacts.putReport(report.runId, report) }),
  appendAudit: async ({ runId, record }, { artifacts }) => {
    await artifacts.appendAudit(runId, record);
    return null;
  },
  planNetworkStep: (input, { siteRecovery, network }) => planNetworkStep(input, siteRecovery, network),
  applyNetworkChanges: ({ changes, purpose }, { network }) => applyNetworkChanges(changes, purpose, network),
  readDecision: async ({ runId, id }, { artifacts }) => (await artifacts.getDecision(runId, id)) ?? null,
  readAlerts: async ({ rules }, { alerts }) => {
    if (!alerts) {
      throw new PortError({
        kind: 'terminal',
        code: 'AlertsNotConfigured',
        message: 'no alert reader is configured',
      });
    }
    const results = [];
    for (const rule of rules) {
      const fired = await alerts.firedAlerts(rule);
      const latest = fired.map((a) => a.firedAt ?? '').reduce((max, t) => (t > max ? t : max), '');
      results.push({ rule, fired: fired.length, ...(latest ? { latestFiredAt: latest } : {}) });
    }
    return results;
  },
};

async function findOrFail(
  siteRecovery: SiteRecoveryPort,
  vault: VaultRef,
  item: Pick<FailoverItem, 'by' | 'ref'>,
): Promise<ProtectedItemState> {
  const found = await siteRecovery.findItem(vault, item);
  if (!found)
    throw new PortError({
      kind: 'notFound',
      code: 'ProtectedItemNotFound',
      message: `Vault '${vault.name}' has no protected item ${item.by === 'vmId' ? 'for VM' : 'named'} '${item.ref}'.`,
    });
  return found;
}

function accountOf(ref: {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
}): AutomationAccountRef {
  return { subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroup, account: ref.account };
}
