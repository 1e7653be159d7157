/* eslint-disable @typescript-eslint/no-explicit-any -- run views are loosely typed JSON from the API */
// Plans over the battery scenario (battery-lab.yaml) and the runs the attacks need: most wait at an
// approval gate (or an `onFailure: ask`) in front of a runbook, so nothing touches a machine unless a
// forged or refused decision wrongly gets through.
import type { BatteryStack } from './battery-stack';

const networkId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill';

/** The approvers every battery plan knows; the attacks sign in as them. */
export const leads = ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com'];

/** A plan named `name` whose `steps:` are the given YAML list items (indented by two spaces). */
export function batteryPlan(name: string, steps: string): string {
  return `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: ${name}, owners: [dr-team@contoso.com] }
vault: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 30, rpoMinutes: 15 }
approvers:
  ops-leads: [${leads.join(', ')}]
defaults:
  askGroup: ops-leads
  onFailure: stop
  budgetMinutes: { failover: 0.01, runbook: 0.02 }
drill:
  testNetworkId: ${networkId}
steps:
${steps}
`;
}

/** An approval gate in front of a runbook (no machine involved). */
export function gatePlan(name: string, approval = 'quorum: 1'): string {
  return batteryPlan(
    name,
    `  - id: approve
    approval: { group: ops-leads, timeoutMinutes: 30, ${approval} }
  - { id: after, dependsOn: [approve], runbook: { account: aa-bat, name: Bat-Notify } }`,
  );
}

/** A runbook that fails and asks ops-leads what to do, in front of another runbook. */
export function askPlan(name: string): string {
  return batteryPlan(
    name,
    `  - id: broken
    runbook: { account: aa-bat, name: Bat-Broken }
    onFailure: { action: ask, timeoutMinutes: 30 }
  - { id: after, dependsOn: [broken], runbook: { account: aa-bat, name: Bat-Notify } }`,
  );
}

export const stepOf = (run: any, id: string): any => run?.timeline?.find((s: any) => s.id === id);
export const waitOn = (run: any, id: string): any =>
  (run?.progress?.waiting ?? []).find((w: any) => w.stepId === id);

/** Stores `source` as plan `name` and starts a test run of it; resolves once `waitStep` waits for a person. */
export async function waitingRun(
  lab: BatteryStack,
  name: string,
  source: string,
  options: { user?: string; waitStep?: string } = {},
): Promise<string> {
  await lab.stack.putPlan(name, source);
  const runId = await lab.stack.startRun(name, { operation: 'test' }, options.user);
  await lab.stack.waitForRun(
    runId,
    (run) => waitOn(run, options.waitStep ?? 'approve') !== undefined,
    60_000,
  );
  return runId;
}

/** A run's current view (status 200) or undefined. */
export async function runView(lab: BatteryStack, runId: string): Promise<any> {
  const reply = await lab.stack.api('GET', `/api/runs/${runId}`);
  return reply.status === 200 ? reply.body : undefined;
}

/** Whether a person's decision moved the run on: the gated step no longer waits, or what follows started. */
export async function gateState(
  lab: BatteryStack,
  runId: string,
  gate = 'approve',
): Promise<{ waiting: boolean; after: string }> {
  const run = await runView(lab, runId);
  return {
    waiting: waitOn(run, gate) !== undefined,
    after: String(stepOf(run, 'after')?.status ?? 'unknown'),
  };
}

/** Approval decisions the endpoints recorded for the run (link form and API). */
export async function recordedDecisions(lab: BatteryStack, runId: string): Promise<number> {
  const records = await lab.audit(runId).catch(() => []);
  return records.filter((r) => r.type === 'approvalDecision' || r.event === 'approval-decision').length;
}

/** Ends a run an attack left waiting, so it holds nothing (a lease, a plan's active slot) afterwards. */
export async function cancelRun(lab: BatteryStack, runId: string): Promise<void> {
  await lab.stack.api('POST', `/api/runs/${runId}/cancel`, { body: { reason: 'battery cleanup' } });
}
