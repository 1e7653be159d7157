import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startArmSimulator } from '../../src/start-arm-simulator';
import { fast, findItem, itemPath, raw, stateDir, useSimFixture, vaultPath } from './sim-fixture';

const fx = useSimFixture();

describe('control plane', () => {
  it('when the ledger is read since a sequence number or for one operation, then only those entries come back', async () => {
    await fx.sim.control.reset();
    await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationFabrics?api-version=2023-06-01`);
    const first = await fx.sim.control.ledger();
    expect(first.requests.map((r) => [r.method, r.operation, r.outcome, r.status])).toEqual([
      ['GET', 'ReplicationFabrics.List', 'ok', 200],
    ]);
    expect(first.requests[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationJobs?api-version=2023-06-01`);
    const since = await fx.sim.control.ledger({ since: first.requests[0]!.seq });
    expect(since.requests.map((r) => r.operation)).toEqual(['ReplicationJobs.List']);
    const only = await fx.sim.control.ledger({ operation: 'ReplicationFabrics.List' });
    expect(only.requests).toHaveLength(1);
    await fx.sim.control.clearLedger();
    expect(await fx.sim.control.counters()).toEqual({});
  });

  it('when the time scale is changed, then info shows it and a bad value is refused naming the field', async () => {
    expect((await fx.sim.control.setTimeScale(0.002)).timeScale).toBe(0.002);
    await expect(fx.sim.control.setTimeScale(0)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('timeScale'),
    });
    await fx.sim.control.setTimeScale(0.0005);
  });

  it('when an unknown control path is called, then it answers 404 with the docs pointer', async () => {
    const res = await raw(fx.sim, 'GET', '/_sim/nope', { token: null });
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain('docs/arm-simulator.md');
  });

  it('when reset, then items, faults and ledger return to the scenario start', async () => {
    const item = await findItem(fx, 'web-01');
    const p = itemPath(item);
    await fx.sim.control.addFault({ kind: 'throttle', operation: 'Nothing.Matches' });
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      p.fabric,
      p.container,
      p.name,
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          providerSpecificDetails: { instanceType: 'A2A' },
        },
      },
      fast,
    );
    await fx.sim.control.reset();
    expect((await fx.sim.control.items()).items.find((i) => i.vmName === 'web-01')).toMatchObject({
      activeLocation: 'Primary',
      protectionState: 'Protected',
    });
    expect((await fx.sim.control.faults()).faults).toEqual([]);
    expect((await fx.sim.control.ledger()).requests).toEqual([]);
  });

  it('when stopped, then the port is closed and running jobs end', async () => {
    const sim = await startArmSimulator({ stateDir, timeScale: 1 });
    const jobs = sim.simulator.siteRecovery.jobs;
    const res = await raw(
      sim,
      'POST',
      `${vaultPath(sim)}/replicationFabrics/asr-a2a-default-uksouth/replicationProtectionContainers/asr-a2a-default-uksouth-container/replicationProtectedItems/${[...sim.simulator.siteRecovery.items.values()][0]!.name}/testFailover?api-version=2023-06-01`,
      {
        body: { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput' } },
      },
    );
    expect(res.status).toBe(202);
    await sim.stop();
    const job = [...jobs.values()][0]!;
    await job.done;
    expect(job.state).toBe('Cancelled');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(sim.port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
