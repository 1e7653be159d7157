import { describe, expect, it } from 'vitest';
import type { AppAdapters } from '../../../adapters/config/app-adapters';
import { ConfigError } from '../../../adapters/config/app-config';
import type { AutomationPort } from '../../../core/ports/automation-port';
import type { HttpPort } from '../../../core/ports/http-probe-port';
import type { PlanStorePort, RunArtifactStorePort } from '../../../core/ports/plan-store-port';
import { PortError } from '../../../core/ports/port-error';
import type { SiteRecoveryPort } from '../../../core/ports/site-recovery-port';
import { activityFailureInfo } from '../../../core/run/activity-failure';
import { runActivity } from '../../../functions/activities/activity-runner';
import type { NetworkPort } from '../../../core/ports/network-port';

const vault = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg', name: 'v' };

function fakePorts(overrides: Partial<AppAdapters> = {}): AppAdapters {
  const refuse = (): Promise<never> => Promise.reject(new Error('unexpected call'));
  const siteRecovery: SiteRecoveryPort = {
    findItem: async () => undefined,
    getItem: refuse,
    listRecoveryPoints: refuse,
    startAction: refuse,
    getJob: refuse,
    listJobsForItem: refuse,
  };
  const automation: AutomationPort = {
    runbookExists: refuse,
    startJob: refuse,
    getJob: refuse,
    getJobOutput: refuse,
    stopJob: refuse,
  };
  const plans: PlanStorePort = { put: refuse, get: refuse, list: refuse, listVersions: refuse };
  const records: Record<string, unknown>[] = [];
  const artifacts: RunArtifactStorePort = {
    putReport: async (runId) => `runs/${runId}/report.json`,
    getReport: refuse,
    appendAudit: async (_runId, record) => void records.push(record),
    readAudit: async () => records,
    putDecision: refuse,
    getDecision: refuse,
  };
  const http: HttpPort = { call: refuse };
  const network: NetworkPort = {
    primaryNic: refuse,
    publicIpAddress: refuse,
    trafficManagerEndpoints: refuse,
    availabilityGroup: refuse,
    read: refuse,
    write: refuse,
  };
  return { siteRecovery, automation, plans, artifacts, http, network, ...overrides };
}

async function failureOf(call: Promise<unknown>): Promise<ReturnType<typeof activityFailureInfo>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  // What the orchestrator receives: the durable host's wrapping around the thrown message.
  return activityFailureInfo(
    new Error(`Activity function 'x' failed: ${(error as Error).message} \n {"stack":"…"}`),
  );
}

describe('runActivity', () => {
  it('when the input is malformed, then it fails terminal InvalidActivityInput naming the field, before any port call', async () => {
    const info = await failureOf(
      runActivity(
        'startItemAction',
        { vault, itemId: '/not/an/id', action: 'testFailover', runStartedAt: '2026-01-01T00:00:00Z' },
        () => fakePorts(),
      ),
    );
    expect(info).toMatchObject({
      kind: 'terminal',
      code: 'InvalidActivityInput',
      message: expect.stringMatching(/^startItemAction input: itemId: must be an ARM resource id/),
    });
    const bad = await failureOf(
      runActivity(
        'startItemAction',
        {
          vault,
          itemId: '/subscriptions/s/resourceGroups/r/providers/x',
          action: 'explode',
          runStartedAt: 'yesterday',
        },
        () => fakePorts(),
      ),
    );
    expect(bad.message).toMatch(/action/);
  });

  it('when a port throws a classified error, then kind, code and Retry-After reach the orchestrator intact', async () => {
    const ports = fakePorts({
      siteRecovery: {
        ...fakePorts().siteRecovery,
        findItem: () =>
          Promise.reject(
            new PortError({
              kind: 'retryable',
              code: 'TooManyRequests',
              message: 'slow',
              status: 429,
              retryAfterSeconds: 12,
            }),
          ),
      },
    });
    expect(
      await failureOf(runActivity('readItem', { vault, item: { by: 'name', ref: 'sql-01' } }, () => ports)),
    ).toEqual({
      kind: 'retryable',
      code: 'TooManyRequests',
      message: 'slow',
      status: 429,
      retryAfterSeconds: 12,
    });
  });

  it('when the item does not exist, then readItem fails notFound', async () => {
    expect(
      await failureOf(
        runActivity('readItem', { vault, item: { by: 'vmId', ref: '/subscriptions/x/vm' } }, () =>
          fakePorts(),
        ),
      ),
    ).toMatchObject({ kind: 'notFound', code: 'ProtectedItemNotFound' });
  });

  it('when the configuration is invalid, then the activity fails terminal ConfigurationError naming the variable', async () => {
    const info = await failureOf(
      runActivity(
        'httpCall',
        { url: 'https://x.test', method: 'GET', headers: {}, timeoutSeconds: 5 },
        () => {
          throw new ConfigError(['DR_ARM_ENDPOINT: must be an https:// URL']);
        },
      ),
    );
    expect(info).toEqual({
      kind: 'terminal',
      code: 'ConfigurationError',
      message: 'DR_ARM_ENDPOINT: must be an https:// URL',
    });
  });

  it('when the report and audit activities run, then they write through the artifact store and return its path', async () => {
    const ports = fakePorts();
    const report = { schema: 'durable-recovery/evidence-report/v1', runId: 'run-7' } as never;
    expect(await runActivity('writeReport', report, () => ports)).toEqual({ path: 'runs/run-7/report.json' });
    expect(
      await runActivity('appendAudit', { runId: 'run-7', record: { event: 'started' } }, () => ports),
    ).toBeNull();
    expect(await ports.artifacts.readAudit('run-7')).toEqual([{ event: 'started' }]);
  });
});
