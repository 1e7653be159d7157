import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteRecoveryAdapter } from '../../../adapters/site-recovery/site-recovery-adapter';
import { staticTokenCredential } from '../../../adapters/config/app-adapters';
import { PortError } from '../../../core/ports/port-error';
import { missingRoleArg, restrictLabIdentity } from '../../../local/lab/lab-authorization';
import { labAppSettings } from '../../../local/lab/lab-settings';
import {
  simulatorHttpClient,
  startArmSimulator,
  type RunningArmSimulator,
} from '@durable-recovery/asr-simulator';

let sim: RunningArmSimulator;
let asr: SiteRecoveryAdapter;
beforeAll(async () => {
  sim = await startArmSimulator({ stateDir: path.join(__dirname, '..', '..', '..', '.lab', 'arm-sim-test') });
  // The adapter as the lab's app builds it: the lab's static token names the identity.
  const token = labAppSettings({ armSim: sim, azuriteConnectionString: '' }).DR_STATIC_TOKEN!;
  asr = new SiteRecoveryAdapter({
    credential: staticTokenCredential(token),
    endpoint: sim.endpoint,
    clientOptions: { httpClient: simulatorHttpClient(sim.caCertPem), retryOptions: { maxRetries: 0 } },
  });
});
afterAll(() => sim?.stop());

const vault = (): { subscriptionId: string; resourceGroup: string; name: string } => ({
  subscriptionId: sim.subscriptionId,
  resourceGroup: sim.resourceGroup,
  name: sim.vaultName,
});

describe('the lab with a deliberately missing role (npm start -- --missing-role <name>)', () => {
  it('when started without jobs-read, then the lab identity reads items but reading a job is 403 AuthorizationFailed, also after lab reset', async () => {
    expect(restrictLabIdentity(sim, 'jobs-read')).toBe('local-arm-simulator');
    await sim.control.reset();
    const item = await asr.findItem(vault(), { by: 'name', ref: 'web-01' });
    expect(item?.friendlyName).toBe('web-01');
    const error = await asr.getJob(vault(), 'any-job').catch((e: unknown) => e);
    expect((error as PortError).info).toMatchObject({ code: 'AuthorizationFailed', status: 403 });
    expect((error as PortError).info.message).toContain(
      'Microsoft.RecoveryServices/vaults/replicationJobs/read',
    );
  });

  it('when the name is unknown or missing, then the start stops with the known names', () => {
    expect(() => restrictLabIdentity(sim, 'nope')).toThrow(/jobs-read, items-read, failover/);
    expect(() => restrictLabIdentity(sim, '')).toThrow(/is not one of/);
  });

  it('when the argument is given either way, then it is read', () => {
    expect(missingRoleArg(['--missing-role', 'failover'])).toBe('failover');
    expect(missingRoleArg(['--missing-role=all'])).toBe('all');
    expect(missingRoleArg(['--missing-role'])).toBe('');
    expect(missingRoleArg([])).toBeUndefined();
  });
});
