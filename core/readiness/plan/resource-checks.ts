import { listed, ok, plural, type PlanCheckResult } from './plan-check';
import type { NetworkFact, RunbookFact } from './plan-facts';
import { failureFix, failureStatus, failuresOf, failureText } from './read-failure';

/** Every runbook the plan's steps (and compensations) name exists in its Automation account. */
export function runbooksCheck(runbooks: readonly RunbookFact[]): PlanCheckResult {
  const id = 'runbooks';
  const title = 'Runbooks and Automation accounts exist';
  if (runbooks.length === 0) return ok(id, title, 'The plan runs no runbook.');
  const errors = failuresOf(runbooks.map((r) => r.read));
  const missing = runbooks.filter((r) => r.read.ok && !r.read.value);
  const lines: string[] = [];
  if (missing.length > 0)
    lines.push(
      `missing: ${listed(missing.map((r) => `${r.runbook} in ${r.account} (step ${r.steps.join(', ')})`))}`,
    );
  if (errors.length > 0) lines.push(errors.map(failureText).join('; '));
  if (lines.length === 0)
    return ok(
      id,
      title,
      `${plural(runbooks.length, 'runbook')} found: ${listed(runbooks.map((r) => `${r.account}/${r.runbook}`))}.`,
    );
  const accountGone = errors.some((e) => e.kind === 'notFound');
  return {
    id,
    title,
    status: missing.length > 0 || accountGone ? 'failing' : failureStatus(errors, true),
    evidence: `Runbooks ${lines.join('; ')}.`,
    fix:
      missing.length > 0 || accountGone
        ? "Import and publish the runbooks (or create the Automation account), or fix the plan's names."
        : failureFix(errors),
  };
}

/** The test network of the plan's drills and the items' recovery and test networks exist. */
export function networksCheck(networks: readonly NetworkFact[]): PlanCheckResult {
  const id = 'networks';
  const title = 'Networks exist';
  if (networks.length === 0) return ok(id, title, 'The plan and its items name no network.');
  const errors = failuresOf(networks.map((n) => n.read));
  const missing = networks.filter((n) => n.read.ok && !n.read.value);
  if (missing.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `Missing virtual networks: ${listed(
        missing.map((n) => `${n.id} (named by ${n.namedBy.join(', ')})`),
        5,
      )}.`,
      fix: "Create the networks, or point the plan's drill.testNetworkId / the items' replication settings at existing ones.",
    };
  if (errors.length > 0)
    return {
      id,
      title,
      // The run does not read networks itself; failover fails later if one is gone.
      status: 'warning',
      evidence: `Could not check ${plural(networks.filter((n) => !n.read.ok).length, 'network')}: ${errors.map(failureText).join('; ')}.`,
      fix: failureFix(errors),
    };
  return ok(
    id,
    title,
    `${plural(networks.length, 'virtual network')} exist: ${listed(networks.map((n) => n.id.split('/').pop() ?? n.id))}.`,
  );
}
