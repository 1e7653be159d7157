import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import type { JobState, JobStatus } from '../../core/ports/site-recovery-port';

const statuses: Record<string, JobStatus> = {
  notstarted: 'NotStarted',
  inprogress: 'InProgress',
  // Still running until the service says Cancelled.
  cancelling: 'InProgress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  canceled: 'Cancelled',
  suspended: 'Suspended',
};

/** JobState from the SDK's job; `retryAfterSeconds` from the response that carried it. */
export function mapJob(job: Job, retryAfterSeconds?: number): JobState {
  const p = job.properties ?? {};
  const rawState = p.state ?? 'Other';
  const errors = (p.errors ?? []).map((e) => ({
    code: e.serviceErrorDetails?.code ?? String(e.providerErrorDetails?.errorCode ?? 'JobError'),
    message: e.serviceErrorDetails?.message ?? e.providerErrorDetails?.errorMessage ?? '',
  }));
  const newItemId = (p.customDetails as { newReplicationProtectedItemId?: unknown } | undefined)
    ?.newReplicationProtectedItemId;
  return {
    name: job.name ?? '',
    id: job.id ?? '',
    scenarioName: p.scenarioName ?? '',
    status: statuses[rawState.toLowerCase()] ?? 'Other',
    rawState,
    ...(p.startTime ? { startTime: new Date(p.startTime).toISOString() } : {}),
    ...(p.endTime ? { endTime: new Date(p.endTime).toISOString() } : {}),
    ...(p.targetObjectId ? { targetObjectId: p.targetObjectId } : {}),
    errors,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(typeof newItemId === 'string' && newItemId ? { newItemId } : {}),
  };
}
