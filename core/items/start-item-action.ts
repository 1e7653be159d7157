import { PortError } from '../ports/port-error';
import type { ProtectedItemState, SiteRecoveryPort, StartItemAction } from '../ports/site-recovery-port';
import type { ActivityInput, ActivityOutput } from '../run/activity-contracts';
import { chooseRecoveryPoint, needsPointListing } from './choose-recovery-point';
import { actionRow, permits, runsAs, usesRecoveryPoint } from './item-actions';

type Input = ActivityInput<'startItemAction'>;
type Output = ActivityOutput<'startItemAction'>;
type ByRefInput = ActivityInput<'startItemActionByRef'>;
type ByRefOutput = ActivityOutput<'startItemActionByRef'>;

/** How long to wait before asking again when another operation holds the item (ASR's own hint). */
const busyRetrySeconds = 30;

/**
 * The start use case of an item action, over the SiteRecoveryPort (the startItemAction and
 * startItemActionByRef activities both run it): what the action means comes from the item-action table.
 *
 * The one place a Site Recovery action is issued, safe to repeat (a retried activity, a host that
 * crashed after the POST): read the item; adopt the job of this action if one is running; report
 * `alreadyDone` (adopting this run's finished job when there is one) if the item is already where the
 * action leads; refuse if the action is not allowed; only then POST — once. A POST refused with 409
 * because the same action started meanwhile is resolved by reading the item again.
 */
export async function startItemAction(asr: SiteRecoveryPort, input: Input): Promise<Output> {
  const item = await readOrFollow(asr, input);
  if ('moved' in item) return item.moved;
  return startOnItem(asr, input, item);
}

/**
 * startItemAction for an item named by the plan (name or VM id): the one read that finds the item is
 * also the read that guards the POST (state, allowedOperations, running job). Recovery points are
 * listed only when the action will really be posted and the choice needs a listing. A reprotect (which
 * moves an A2A item to a new id) goes through startItemAction instead.
 */
export async function startItemActionByRef(asr: SiteRecoveryPort, input: ByRefInput): Promise<ByRefOutput> {
  const item = await asr.findItem(input.vault, input.item);
  if (!item)
    throw new PortError({
      kind: 'notFound',
      code: 'ProtectedItemNotFound',
      message: `Vault '${input.vault.name}' has no protected item ${input.item.by === 'vmId' ? 'for VM' : 'named'} '${input.item.ref}'.`,
    });
  const base: Input = {
    vault: input.vault,
    itemId: item.id,
    action: input.action,
    runStartedAt: input.runStartedAt,
    ...(input.testNetworkId !== undefined ? { testNetworkId: input.testNetworkId } : {}),
  };
  // Providers that fail back from a point type (InMageRcmFailback, InMage) take the plan's choice as one.
  const pointType = input.recoveryPoint?.type;
  let point: ByRefOutput['point'];
  const choose = async (): Promise<Input> => {
    const choice = input.recoveryPoint;
    if (!choice || !usesRecoveryPoint(input.action)) return base;
    const listed = needsPointListing(choice) ? await asr.listRecoveryPoints(input.vault, item.id) : [];
    const chosen = chooseRecoveryPoint(choice, listed);
    if (!chosen.ok)
      throw new PortError({ kind: 'terminal', code: 'NoRecoveryPoint', message: chosen.message });
    point = chosen.point;
    return chosen.id !== undefined ? { ...base, recoveryPointId: chosen.id } : base;
  };
  const started = await startOnItem(asr, base, item, choose, pointType);
  return { ...started, ...(point ? { point } : {}) };
}

/**
 * The decision on a freshly read item: adopt, already done, refuse, or POST once. `beforePost` may
 * complete the input (the recovery point) once it is certain the action will be posted.
 */
async function startOnItem(
  asr: SiteRecoveryPort,
  given: Input,
  item: ProtectedItemState,
  beforePost: () => Promise<Input> = () => Promise.resolve(given),
  recoveryPointType?: StartItemAction['recoveryPointType'],
): Promise<Output> {
  const row = actionRow(item, given.action);
  const adopted = adoptRunning(item, given);
  if (adopted) return adopted;

  if (row.done(item)) {
    const jobs = await asr.listJobsForItem(given.vault, given.itemId, given.runStartedAt);
    const job = jobs.find((j) => runsAs(row, j.scenarioName) && j.status === 'Succeeded');
    return { item, ...(job ? { jobName: job.name } : {}), adopted: Boolean(job), alreadyDone: true };
  }

  if (row.unsupported)
    throw new PortError({
      kind: 'terminal',
      code: 'OperationNotSupported',
      message: `${given.action} is not possible on '${item.friendlyName}' (${item.providerType}): ${row.unsupported}.`,
    });
  if (!permits(item, given.action))
    throw new PortError({
      kind: 'terminal',
      code: 'OperationNotAllowed',
      message: `${given.action} is not allowed on '${item.friendlyName}' (${item.protectionState}); allowed operations: ${item.allowedOperations.join(', ') || 'none'}.`,
    });

  const input = await beforePost();
  try {
    const { jobName } = await asr.startAction({
      vault: input.vault,
      itemId: input.itemId,
      action: input.action,
      ...(input.recoveryPointId ? { recoveryPointId: input.recoveryPointId } : {}),
      ...(input.testNetworkId ? { testNetworkId: input.testNetworkId } : {}),
      ...(recoveryPointType ? { recoveryPointType } : {}),
      ...(input.reprotect ? { reprotect: input.reprotect } : {}),
      item,
    });
    return { item, jobName, adopted: false, alreadyDone: false };
  } catch (error) {
    if (!(error instanceof PortError) || error.info.status !== 409) throw error;
    const again = adoptRunning(await asr.getItem(input.vault, input.itemId), input);
    if (again) return again;
    throw error;
  }
}

/**
 * Reads the item. A reprotect moves an A2A item to a new id, so a repeat of a reprotect that already ran
 * finds the old id gone: it then adopts this run's reprotect job and reports the item where it moved.
 */
async function readOrFollow(
  asr: SiteRecoveryPort,
  input: Input,
): Promise<ProtectedItemState | { moved: Output }> {
  try {
    return await asr.getItem(input.vault, input.itemId);
  } catch (error) {
    if (input.action !== 'reprotect' || !(error instanceof PortError) || error.info.kind !== 'notFound')
      throw error;
    const jobs = await asr.listJobsForItem(input.vault, input.itemId, input.runStartedAt);
    const job = jobs.find(
      (j) =>
        // The item is gone, so its provider is unknown: the generic reprotect row names the jobs.
        runsAs(actionRow({ providerType: '' }, 'reprotect'), j.scenarioName) &&
        j.status !== 'Failed' &&
        j.status !== 'Cancelled',
    );
    if (!job?.newItemId) throw error;
    const moved = await asr.getItem(input.vault, job.newItemId);
    return {
      moved: { item: moved, jobName: job.name, adopted: true, alreadyDone: job.status === 'Succeeded' },
    };
  }
}

/** The item's running job when it is this action's; an error when another operation holds the item. */
function adoptRunning(item: ProtectedItemState, input: Input): Output | undefined {
  const running = item.currentScenario;
  if (!running) return undefined;
  if (runsAs(actionRow(item, input.action), running.scenarioName))
    return { item, jobName: running.jobName, adopted: true, alreadyDone: false };
  throw new PortError({
    kind: 'retryable',
    code: 'OperationInProgress',
    message: `${running.scenarioName} (job ${running.jobName}) is running on '${item.friendlyName}'; ${input.action} waits for it to finish.`,
    retryAfterSeconds: busyRetrySeconds,
  });
}
