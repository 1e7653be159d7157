import { isFailedOver } from '../../items/item-phase';
import type { RecoveryPlan } from '../../plan/plan-types';
import type { ProtectedItemState } from '../../ports/site-recovery-port';
import { listed, ok, plural, type PlanCheckResult } from './plan-check';
import type { ItemFact } from './plan-facts';
import { failureFix, failureStatus, failuresOf, failureText } from './read-failure';

/** The items that were read and found, with the plan's reference. */
export function foundItems(items: readonly ItemFact[]): { ref: string; item: ProtectedItemState }[] {
  return items.flatMap((fact) =>
    fact.read.ok && fact.read.value ? [{ ref: fact.ref, item: fact.read.value }] : [],
  );
}

const label = (ref: string, item: ProtectedItemState): string =>
  item.friendlyName && item.friendlyName !== ref ? `${item.friendlyName}` : ref;

/** Every item the plan names exists in the vault (and could be read). */
export function itemsExistCheck(plan: RecoveryPlan, items: readonly ItemFact[]): PlanCheckResult {
  const id = 'items-exist';
  const title = 'Every item exists';
  const errors = failuresOf(items.map((i) => i.read));
  const missing = items.filter((i) => i.read.ok && !i.read.value);
  if (errors.length > 0)
    return {
      id,
      title,
      status: failureStatus(errors, true),
      evidence: `Could not read ${plural(items.filter((i) => !i.read.ok).length, 'item')}: ${errors.map(failureText).join('; ')}`,
      fix: failureFix(errors),
    };
  if (missing.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `${plural(missing.length, 'item')} named by the plan ${missing.length === 1 ? 'is' : 'are'} not in vault ${plan.vault.name}: ${listed(missing.map((m) => `${m.ref} (step ${m.steps.join(', ')})`))}.`,
      fix: 'Enable replication for them again, or remove them from the plan (a deleted VM or a disabled replication).',
    };
  return ok(id, title, `All ${plural(items.length, 'item')} found in vault ${plan.vault.name}.`);
}

/** Every found item is protected (replicating), not failed over or still in initial replication. */
export function itemsProtectedCheck(items: readonly ItemFact[]): PlanCheckResult {
  const id = 'items-protected';
  const title = 'Every item is protected';
  const found = foundItems(items);
  const failedOver = found.filter(({ item }) => isFailedOver(item));
  const initial = found.filter(
    ({ item }) => !isFailedOver(item) && item.initialReplicationPercent !== undefined,
  );
  const other = found.filter(
    ({ item }) =>
      !isFailedOver(item) &&
      item.initialReplicationPercent === undefined &&
      !/^Protected$/i.test(item.protectionState),
  );
  const problems: string[] = [];
  if (failedOver.length > 0)
    problems.push(
      `${plural(failedOver.length, 'item')} failed over and not reprotected: ${listed(failedOver.map(({ ref, item }) => `${label(ref, item)} (${item.protectionState})`))}`,
    );
  if (other.length > 0)
    problems.push(
      `${plural(other.length, 'item')} not protected: ${listed(other.map(({ ref, item }) => `${label(ref, item)} (${item.protectionState})`))}`,
    );
  if (problems.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `${problems.join('; ')}.`,
      fix:
        failedOver.length > 0
          ? 'Commit the failover and reprotect the items (run the plan for commit, then reprotect) so they replicate again.'
          : 'Check the items in the vault: enable or repair replication.',
    };
  if (initial.length > 0)
    return {
      id,
      title,
      status: 'warning',
      evidence: `${plural(initial.length, 'item')} still in initial replication: ${listed(initial.map(({ ref, item }) => `${label(ref, item)} ${item.initialReplicationPercent ?? 0}%`))}.`,
      fix: 'Wait for initial replication to finish; no recovery point exists until it does.',
    };
  return ok(id, title, `${plural(found.length, 'item')} protected.`);
}

/** Replication health as each item reports it; agent problems are warnings. */
export function replicationHealthCheck(items: readonly ItemFact[]): PlanCheckResult {
  const id = 'replication-health';
  const title = 'Replication healthy';
  const found = foundItems(items).filter(({ item }) => !isFailedOver(item));
  const critical = found.filter(({ item }) => /^Critical$/i.test(item.replicationHealth));
  const warning = found.filter(({ item }) => /^Warning$/i.test(item.replicationHealth));
  const agents = found.filter(({ item }) => (item.agentProblems?.length ?? 0) > 0);
  const lines: string[] = [];
  if (critical.length > 0)
    lines.push(`critical: ${listed(critical.map(({ ref, item }) => label(ref, item)))}`);
  if (warning.length > 0) lines.push(`warning: ${listed(warning.map(({ ref, item }) => label(ref, item)))}`);
  for (const { ref, item } of agents) lines.push(`${label(ref, item)}: ${item.agentProblems?.join('; ')}`);
  if (lines.length === 0)
    return ok(id, title, `Replication health is Normal on ${plural(found.length, 'replicating item')}.`);
  return {
    id,
    title,
    status: critical.length > 0 ? 'failing' : 'warning',
    evidence: `Replication health ${lines.join('; ')}.`,
    fix: "Open the items' replication health in the vault (Replicated items → Health and errors) and fix the reported errors.",
  };
}

/** The replication lag each provider reports (its own field) against the plan's RPO objective. */
export function rpoCheck(plan: RecoveryPlan, items: readonly ItemFact[]): PlanCheckResult {
  const id = 'rpo';
  const title = `RPO within ${plan.objectives.rpoMinutes} min`;
  const found = foundItems(items).filter(({ item }) => !isFailedOver(item));
  const reporting = found.filter(({ item }) => item.rpoSeconds !== undefined);
  const over = reporting.filter(({ item }) => (item.rpoSeconds ?? 0) / 60 > plan.objectives.rpoMinutes);
  const silent = found.filter(({ item }) => item.rpoSeconds === undefined);
  const silentNote =
    silent.length > 0
      ? ` ${plural(silent.length, 'item')} report no lag (${listed(silent.map(({ item }) => item.providerType))}).`
      : '';
  if (over.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `Replication lag over the ${plan.objectives.rpoMinutes} min objective: ${listed(over.map(({ ref, item }) => `${label(ref, item)} ${minutes(item.rpoSeconds ?? 0)} min`))}.${silentNote}`,
      fix: 'Check the replication health and bandwidth of these items (churn, throttled storage, an appliance behind).',
    };
  if (reporting.length === 0 && found.length > 0)
    return {
      id,
      title,
      status: 'warning',
      evidence: `No item reports a replication lag.${silentNote}`,
      fix: 'The recovery point age check shows how old the data is.',
    };
  const worst = Math.max(0, ...reporting.map(({ item }) => item.rpoSeconds ?? 0));
  return ok(
    id,
    title,
    `Worst replication lag ${minutes(worst)} min of ${plural(reporting.length, 'item')}.${silentNote}`,
  );
}

/** How old the newest recovery point of each item is, against the RPO objective. */
export function recoveryPointAgeCheck(
  plan: RecoveryPlan,
  items: readonly ItemFact[],
  now: Date,
): PlanCheckResult {
  const id = 'recovery-point-age';
  const title = 'Last recovery point recent';
  const found = foundItems(items).filter(({ item }) => !isFailedOver(item));
  const aged = found
    .filter(({ item }) => item.lastRecoveryPointTime !== undefined)
    .map(({ ref, item }) => ({
      name: label(ref, item),
      ageMinutes: (now.getTime() - Date.parse(item.lastRecoveryPointTime ?? '')) / 60_000,
    }))
    .filter((a) => Number.isFinite(a.ageMinutes));
  const limit = Math.max(plan.objectives.rpoMinutes, 1);
  const old = aged.filter((a) => a.ageMinutes > limit);
  if (old.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `Newest recovery point older than the ${plan.objectives.rpoMinutes} min objective: ${listed(old.map((a) => `${a.name} ${a.ageMinutes.toFixed(0)} min`))}.`,
      fix: 'Replication has stalled for these items: check their health, the mobility agent / appliance and the cache storage.',
    };
  if (aged.length === 0)
    return found.length === 0
      ? ok(id, title, 'No replicating item to check.')
      : {
          id,
          title,
          status: 'warning',
          evidence: `No item reports when its last recovery point arrived (${listed([...new Set(found.map(({ item }) => item.providerType))])}).`,
        };
  const worst = Math.max(...aged.map((a) => a.ageMinutes));
  return ok(
    id,
    title,
    `Newest recovery points are at most ${Math.max(0, worst).toFixed(0)} min old (${plural(aged.length, 'item')}).`,
  );
}

const minutes = (seconds: number): string => (seconds / 60).toFixed(1);
