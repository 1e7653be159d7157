// Plan makespan on the local stack (Azurite + ARM simulator + host, in process), measured side by side
// in one run on the reference workload (packages/asr-simulator/scenarios/reference-workload.yaml: 30 A2A VMs in
// five tiers, uneven durations): an unplanned failover of the same items as our DAG plan
// (plans/reference-workload.yaml), as ASR-style groups run by this app (plans/reference-workload-groups.yaml),
// and as the simulator's native recovery plan `reference-native` (group barriers, run by the "service").
// See docs/bench.md for what each column means.
import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecoveryPlan } from '../core/plan/plan-types';
import { validatePlan } from '../core/plan/validate-plan';
import {
  fakeTokenCredential,
  siteRecoveryClientOptions,
  startArmSimulator,
} from '@durable-recovery/asr-simulator';
import { defaultExtensions, startHost } from '@durable-recovery/functions-local-host';
import { startAzurite } from '../local/lab/azurite';
import { scalePlanDurations } from '../local/lab/demo-plan';
import { labAppSettings } from '../local/lab/lab-settings';
import { measureNative, measureRun, type Measured } from './makespan-measure';

/**
 * Real seconds per simulated second (BENCH_TIME_SCALE, default 0.04): the ~30-minute workload takes
 * ~70–110 s of real time per run. Host overhead (episodes, storage round trips) is real time, so it
 * weighs 1/timeScale = 25 times more in simulated seconds than it would against real ASR jobs (time
 * scale 1); the table states the scale it ran at. Larger scales shrink that share and take longer.
 */
const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 0.04);
const root = join(__dirname, '..');

function plan(file: string): { source: string; plan: RecoveryPlan } {
  const source = readFileSync(join(root, 'plans', file), 'utf8');
  const result = validatePlan(source, { fileName: file });
  if (!result.ok) throw new Error(`${file}: ${result.issues.map((i) => i.message).join('; ')}`);
  return { source: scalePlanDurations(source, timeScale), plan: result.plan };
}

export async function main(): Promise<void> {
  const dag = plan('reference-workload.yaml');
  const groups = plan('reference-workload-groups.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'dr-bench-'));
  const azurite = await startAzurite();
  const sim = await startArmSimulator({
    scenario: 'reference-workload',
    timeScale,
    stateDir: join(dir, 'arm-sim'),
  });
  const nativeSim = await startArmSimulator({
    scenario: 'reference-workload',
    timeScale,
    stateDir: join(dir, 'arm-sim-native'),
  });
  const host = await startHost({
    appDir: root,
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
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  };

  async function ourRun(name: string, source: string, shape: RecoveryPlan): Promise<Measured> {
    await sim.control.reset();
    await sim.control.clearLedger();
    await call('PUT', `/api/plans/${name}`, source);
    const startedAt = new Date().toISOString();
    const { runId } = (await call(
      'POST',
      `/api/plans/${name}/runs`,
      JSON.stringify({ operation: 'unplanned' }),
    )) as { runId: string };
    const deadline = Date.now() + 300_000;
    for (;;) {
      const run = await call('GET', `/api/runs/${runId}`);
      if (run.active === false) {
        if (run.state !== 'succeeded')
          throw new Error(`${name}: run ${runId} ended ${run.state}: ${JSON.stringify(run.timeline)}`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${name}: run ${runId} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const ledger = await sim.control.ledger();
    if (process.env.BENCH_LEDGER_DIR)
      writeFileSync(
        join(process.env.BENCH_LEDGER_DIR, `${name}.ledger.json`),
        JSON.stringify({ startedAt, ...ledger }),
      );
    return measureRun(ledger, shape, { startedAt, timeScale, dag: dag.plan });
  }

  // The native plan runs inside its own simulator (same scenario and seed), side by side with the DAG run:
  // the service needs no host, so it costs the DAG run little CPU and saves a third of the bench's time.
  async function nativeRun(): Promise<Measured> {
    const asr = new SiteRecoveryManagementClient(
      fakeTokenCredential(),
      nativeSim.subscriptionId,
      siteRecoveryClientOptions(nativeSim),
    );
    await asr.replicationRecoveryPlans.beginUnplannedFailoverAndWait(
      nativeSim.vaultName,
      nativeSim.resourceGroup,
      'reference-native',
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          sourceSiteOperations: 'NotRequired',
          providerSpecificDetails: [{ instanceType: 'A2A', recoveryPointType: 'Latest' }],
        },
      },
      { updateIntervalInMs: 250 },
    );
    return measureNative(await nativeSim.control.ledger(), groups.plan, dag.plan);
  }

  // Warm-up, not measured: a dry run of the DAG plan loads the app's modules and SDK clients and opens
  // connections, as a Function App that has been up a while has them (a dry run changes nothing).
  async function warmUp(): Promise<void> {
    await call('PUT', '/api/plans/reference-workload', dag.source);
    const { runId } = (await call(
      'POST',
      '/api/plans/reference-workload/runs',
      JSON.stringify({ operation: 'unplanned', dryRun: true }),
    )) as { runId: string };
    for (let i = 0; i < 240; i++) {
      const run = await call('GET', `/api/runs/${runId}`);
      if (run.active === false) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`warm-up dry run ${runId} did not finish`);
  }

  try {
    await warmUp();
    const [ours, native] = await Promise.all([
      ourRun('reference-workload', dag.source, dag.plan),
      nativeRun(),
    ]);
    const barrier = await ourRun('reference-workload-groups', groups.source, groups.plan);
    process.stdout.write(
      report([
        ['DAG plan (reference-workload.yaml)', ours],
        ['groups (reference-workload-groups.yaml)', barrier],
        ['native recovery plan (reference-native)', native],
      ]),
    );
  } finally {
    await host.stop();
    await sim.stop();
    await nativeSim.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(rows: [string, Measured][]): string {
  const dag = rows[0]![1];
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(40) : c.padStart(10))).join(' | ')} |`;
  const out = [
    `reference workload, unplanned failover of 30 A2A VMs; simulated seconds (ARM simulator time scale ${timeScale}: 1 real s = ${(1 / timeScale).toFixed(0)} simulated s)`,
    'read the ratios; seconds are simulated and depend on the seeded job durations',
    line(['run', 'makespan', 'own bound', 'ms/bound', 'vs DAG', 'DAG bound', 'ms/DAGbnd', 'ARM/item']),
  ];
  for (const [name, m] of rows) {
    out.push(
      line([
        name,
        m.makespan.toFixed(0),
        m.ownBound.toFixed(0),
        (m.makespan / m.ownBound).toFixed(3),
        (m.makespan / dag.makespan).toFixed(3),
        m.dagBound.toFixed(0),
        (m.makespan / m.dagBound).toFixed(3),
        m.requests ? m.requests.perItem.toFixed(2) : '(service)',
      ]),
    );
  }
  out.push('', 'ARM requests per item failover, by kind (all Site Recovery requests of the run / 30 items):');
  for (const [name, m] of rows) {
    if (!m.requests) continue;
    const kinds = Object.entries(m.requests.byKind)
      .map(([kind, n]) => `${kind} ${(n / m.items).toFixed(2)}`)
      .join(', ');
    out.push(
      `  ${name}: ${kinds}; job polls per item min ${m.requests.pollsMin}, max ${m.requests.pollsMax}`,
    );
  }
  const [, groups] = rows[1]!;
  const [, native] = rows[2]!;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const ratio = dag.makespan / dag.ownBound;
  const vsBarrier = Math.max(dag.makespan / groups.makespan, dag.makespan / native.makespan);
  const perItem = dag.requests?.perItem ?? Infinity;
  out.push(
    '',
    'Aims of issue 6 (DAG run):',
    `  makespan within 3 % of its critical path: ${ratio.toFixed(3)} -> ${verdict(ratio <= 1.03)}`,
    `  at least 25 % below the group-barrier runs: ${(dag.makespan / groups.makespan).toFixed(3)} of groups, ${(dag.makespan / native.makespan).toFixed(3)} of native -> ${verdict(vsBarrier <= 0.75)}`,
    `  at most 6 ARM requests per item failover: ${perItem.toFixed(2)} -> ${verdict(perItem <= 6)}`,
  );
  out.push('', 'Waits on the critical path (simulated s):');
  for (const [name, m] of rows) if (m.gaps) out.push(`  ${name}: ${m.gaps}`);
  return `${out.join('\n')}\n`;
}
