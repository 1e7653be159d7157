// `lab reset`: the way back to the demo's starting state. The ARM simulator goes back to its scenario's
// seed (every item protected in the primary region, no test failover, no job in flight, faults and
// ledger cleared) — but only while no run is active on the host, so the host's runs and the simulator's
// items never disagree (a run monitoring a job the reset erased would wait for it in vain).
import type { ArmSimControl } from '@durable-recovery/asr-simulator';

/** An active run as GET /api/runs lists it (the fields reset reports). */
export interface ActiveRun {
  runId: string;
  plan: { name: string };
  operation: string;
  state: string;
  progress?: { summary?: string };
}

/** The lab's host API: base URL and a function key. */
export interface LabHostApi {
  baseUrl: string;
  functionKey: string;
}

export interface LabResetOptions {
  host: LabHostApi;
  sim: ArmSimControl;
  /** Cancel active runs and wait for them to end before resetting, instead of refusing. */
  force: boolean;
  /** How long --force waits for cancelled runs to end (cancel cleans test VMs up first). */
  timeoutMs?: number;
  write: (line: string) => void;
}

/** What reset did: refused (with the active runs), or reset (with the runs it cancelled first). */
export type LabResetResult =
  | { outcome: 'refused'; active: ActiveRun[] }
  | { outcome: 'timedOut'; active: ActiveRun[] }
  | { outcome: 'reset'; cancelled: ActiveRun[]; scenario: string; items: number; ready: number };

async function call(host: LabHostApi, method: string, path: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${host.baseUrl}${path}`, {
      method,
      headers: {
        'x-functions-key': host.functionKey,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new Error(
      `the lab's host at ${host.baseUrl} does not answer (${error instanceof Error ? error.message : String(error)}): is \`npm start\` running?`,
    );
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function activeRuns(host: LabHostApi): Promise<ActiveRun[]> {
  const reply = (await call(host, 'GET', '/api/runs?status=active&limit=100')) as { runs: ActiveRun[] };
  return reply.runs;
}

const describeRun = (r: ActiveRun): string =>
  `${r.runId}  ${r.plan.name}  ${r.operation}  ${r.state}${r.progress?.summary ? `  (${r.progress.summary})` : ''}`;

/** Resets the lab's simulator to its seed once no run is active (cancelling them first with `force`). */
export async function resetLab(options: LabResetOptions): Promise<LabResetResult> {
  const { host, sim, write } = options;
  let active = await activeRuns(host);
  const cancelled: ActiveRun[] = [];
  if (active.length > 0) {
    if (!options.force) {
      write(
        `Not reset: ${active.length} run(s) still active, and the simulator would lose the items they work on:`,
      );
      for (const run of active) write(`  ${describeRun(run)}`);
      write('Wait for them to end, cancel them (POST /api/runs/<runId>/cancel), or run `lab reset --force`');
      write('to cancel them, wait for them to end, then reset.');
      return { outcome: 'refused', active };
    }
    for (const run of active) {
      try {
        await call(host, 'POST', `/api/runs/${encodeURIComponent(run.runId)}/cancel`, {
          reason: 'lab reset',
        });
      } catch (error) {
        // 409: the run ended between the listing and the cancel; nothing to cancel.
        if (!(error instanceof Error && / answered 409:/.test(error.message))) throw error;
        continue;
      }
      write(`Cancelled ${describeRun(run)}`);
      cancelled.push(run);
    }
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    while ((active = await activeRuns(host)).length > 0) {
      if (Date.now() > deadline) {
        write(`Not reset: ${active.length} cancelled run(s) have not ended yet:`);
        for (const run of active) write(`  ${describeRun(run)}`);
        return { outcome: 'timedOut', active };
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  const info = await sim.reset();
  const { items } = await sim.items();
  const ready = items.filter(
    (i) =>
      i.activeLocation === 'Primary' &&
      i.allowedOperations.includes('TestFailover') &&
      i.currentJob === undefined,
  ).length;
  write(
    `Reset the ARM simulator to scenario ${info.scenario}: ${ready} of ${items.length} item(s) protected in the primary ` +
      'region with TestFailover allowed, no test failover in place, no job running; faults and ledger cleared.',
  );
  write(
    cancelled.length > 0
      ? `Cancelled ${cancelled.length} run(s) first; their reports stay readable.`
      : 'No run was active. Plans, run history and reports on the host are kept.',
  );
  return { outcome: 'reset', cancelled, scenario: info.scenario, items: items.length, ready };
}
