// Plan makespan on the local stack (Azurite + ARM simulator + host, in process), measured side by side
// in one run on the demo-shop workload: our DAG plan (plans/shop.yaml), the same items as ASR-style
// groups (plans/shop-groups.yaml), and the simulator's native recovery plan (group barriers, run by the
// "service"). Times are simulated seconds from the simulator's ledger, so they do not depend on the
// time scale. The critical-path lower bound uses each run's own job durations (seeded, so equal across
// runs): max(sql) + sql-ag runbook + max(app) + max(web).
import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeTokenCredential, siteRecoveryClientOptions } from '../local/arm-sim/client-options';
import type { LedgerEvent, LedgerRequest } from '../local/arm-sim/ledger';
import { startArmSimulator } from '../local/arm-sim/start-arm-simulator';
import { defaultExtensions } from '../local/host/default-extensions';
import { startHost } from '../local/host/host';
import { startAzurite } from '../local/lab/azurite';
import { demoPlanSource, scalePlanDurations } from '../local/lab/demo-plan';
import { labAppSettings } from '../local/lab/lab-settings';

// Large enough that orchestration overhead (host episodes, storage round trips) is small against job durations.
const timeScale = 0.02;
const tiers = { sql: ['sql-01', 'sql-02'], app: ['app-01', 'app-02', 'app-03'], web: ['web-01', 'web-02'] };
const items = Object.values(tiers).flat();

interface Measured {
  makespan: number;
  criticalPath: number;
  requestsPerItem: number;
}

function measure(requests: LedgerRequest[], events: LedgerEvent[]): Measured {
  const jobEvents = events.filter((e) => e.kind === 'job-started' || e.kind === 'job-ended');
  const started = new Map<string, number>();
  const duration = new Map<string, number>();
  for (const e of jobEvents) {
    if (!items.includes(e.target)) continue;
    if (e.kind === 'job-started') started.set(e.target, e.simSeconds);
    else duration.set(e.target, e.simSeconds - (started.get(e.target) ?? e.simSeconds));
  }
  const runbook = events.filter((e) => e.kind.startsWith('runbook-job') && e.target === 'ASR-SQL-FailoverAG');
  const runbookSeconds =
    runbook.length > 1 ? (runbook.at(-1)?.simSeconds ?? 0) - (runbook[0]?.simSeconds ?? 0) : 0;
  const tier = (names: string[]): number => Math.max(...names.map((n) => duration.get(n) ?? 0));
  const relevant = [...jobEvents.filter((e) => items.includes(e.target)), ...runbook];
  const makespan =
    Math.max(...relevant.map((e) => e.simSeconds)) - Math.min(...relevant.map((e) => e.simSeconds));
  const itemRequests = requests.filter((r) => r.target !== undefined && items.includes(r.target));
  return {
    makespan,
    criticalPath: tier(tiers.sql) + runbookSeconds + tier(tiers.app) + tier(tiers.web),
    requestsPerItem: itemRequests.length / items.length,
  };
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dr-bench-'));
  const azurite = await startAzurite();
  const sim = await startArmSimulator({ scenario: 'demo-shop', timeScale, stateDir: join(dir, 'arm-sim') });
  const host = await startHost({
    appDir: join(__dirname, '..'),
    port: 0,
    extensions: defaultExtensions(),
    stateDir: dir,
    settings: labAppSettings({
      armSim: sim,
      azuriteConnectionString: azurite.connectionString,
      taskHub: 'Bench',
    }),
    log: () => undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed JSON replies
  const call = async (method: string, path: string, body?: string): Promise<any> => {
    const response = await fetch(`${host.baseUrl}${path}`, {
      method,
      headers: { 'x-functions-key': host.masterKey, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    return response.json();
  };
  const groupsSource = scalePlanDurations(
    readFileSync(join(__dirname, '..', 'plans', 'shop-groups.yaml'), 'utf8').replace(
      'https://shop.contoso.com/health',
      `${host.baseUrl}/api/health`,
    ),
    timeScale,
  );

  async function ourRun(name: string, source: string): Promise<Measured> {
    await sim.control.reset();
    await sim.control.clearLedger();
    await call('PUT', `/api/plans/${name}`, source);
    const { runId } = (await call(
      'POST',
      `/api/plans/${name}/runs`,
      JSON.stringify({ operation: 'test' }),
    )) as {
      runId: string;
    };
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await call('GET', `/api/runs/${runId}`);
      const steps = (run.timeline ?? []) as { id: string; status: string }[];
      const failedOver = steps.filter((s) => s.id !== 'health' && s.status === 'succeeded').length >= 4;
      if (run.active === false || failedOver) break;
      if (Date.now() > deadline)
        throw new Error(`${name}: run ${runId} did not finish: ${JSON.stringify(steps)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { requests, events } = await sim.control.ledger();
    return measure(requests, events);
  }

  async function nativeRun(): Promise<Measured> {
    await sim.control.reset();
    await sim.control.clearLedger();
    const asr = new SiteRecoveryManagementClient(
      fakeTokenCredential(),
      sim.subscriptionId,
      siteRecoveryClientOptions(sim),
    );
    await asr.replicationRecoveryPlans.beginTestFailoverAndWait(
      sim.vaultName,
      sim.resourceGroup,
      'contoso-shop-native',
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId: `/subscriptions/${sim.subscriptionId}/resourceGroups/${sim.resourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet-drill`,
          providerSpecificDetails: [{ instanceType: 'A2A', recoveryPointType: 'LatestProcessed' }],
        },
      },
      { updateIntervalInMs: 100 },
    );
    // The service runs the items inside one plan job: its makespan is first group start to last group end.
    const { requests, events } = await sim.control.ledger();
    const groups = events.filter((e) => e.kind === 'plan-group-started' || e.kind === 'plan-group-ended');
    const times = groups.map((e) => e.simSeconds);
    return { ...measure(requests, events), makespan: Math.max(...times) - Math.min(...times) };
  }

  try {
    const dag = await ourRun('contoso-shop', demoPlanSource(host.baseUrl, { timeScale }));
    const groups = await ourRun('contoso-shop-groups', groupsSource);
    // Per-item durations are not visible inside a native plan job; its bound is the DAG run's (same seeded workload).
    const native = { ...(await nativeRun()), criticalPath: dag.criticalPath };
    const rows: [string, Measured][] = [
      ['DAG plan (shop.yaml)', dag],
      ['ASR-style groups (shop-groups.yaml)', groups],
      ['native ASR recovery plan', native],
    ];
    const line = (cells: string[]): string =>
      `| ${cells.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(12))).join(' | ')} |`;
    process.stdout.write(`demo-shop, test failover, simulated seconds (time scale ${timeScale})\n`);
    process.stdout.write(`${line(['run', 'makespan s', 'makespan/CP', 'vs DAG', 'ARM req/item'])}\n`);
    for (const [name, m] of rows) {
      process.stdout.write(
        `${line([
          name,
          m.makespan.toFixed(0),
          (m.makespan / m.criticalPath).toFixed(3),
          (m.makespan / dag.makespan).toFixed(3),
          name.startsWith('native') ? '(service)' : m.requestsPerItem.toFixed(1),
        ])}\n`,
      );
    }
  } finally {
    await host.stop();
    await sim.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
