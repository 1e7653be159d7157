import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../../../local/lab/azurite';
import { durableAppDir } from './durable-stack';
import { spawnWarmHost, type WarmHost } from './warm-host';

/** What crashWorkload (test/fixtures/durable-app) returns for a given Proceed event value. */
export function expectedCrashOutput(proceed: string): string {
  return ['a0!', 'a1!', 'a2!', 'f0!f1!f2!f3!', proceed, 'b0!', 'b1!'].join(',');
}

const steps = ['a0', 'a1', 'a2', 'f0', 'f1', 'f2', 'f3', 'b0', 'b1'];

export interface CrashReport {
  rounds: number;
  instances: number;
  /** Instances whose output was wrong or that did not complete, with what they showed. */
  problems: string[];
  /** Instances with an activity step that never ran (should be impossible). */
  missingSteps: string[];
}

export interface CrashOptions {
  rounds: number;
  instancesPerRound: number;
  /** Random delay between the round's acknowledged starts and the kill, in ms. */
  minDelayMs: number;
  maxDelayMs: number;
  progress?: (line: string) => void;
}

/**
 * Kills the host with SIGKILL at random points while crashWorkload instances run, restarts it on the
 * same Azurite data, and finally checks every acknowledged instance completed with the right output and
 * every activity ran at least once. Starts and events count as acknowledged once the API answered 202.
 * The next host process is spawned (modules loaded, storage untouched) while the current one runs.
 */
export async function runCrashRounds(options: CrashOptions): Promise<CrashReport> {
  const stateDir = mkdtempSync(join(tmpdir(), 'durable-crash-'));
  const activityLog = join(stateDir, 'activities.log');
  const azurite = await startAzurite({ dataDir: join(stateDir, 'azurite') });
  const env = { AzureWebJobsStorage: azurite.connectionString, ACTIVITY_LOG: activityLog };
  const spawnNext = (): WarmHost => spawnWarmHost(durableAppDir, stateDir, env);
  let current = spawnNext();
  let next: WarmHost | undefined;
  const acknowledged = new Map<string, string>();
  try {
    let baseUrl = await current.go();
    const systemKey = (): string =>
      (
        JSON.parse(readFileSync(join(stateDir, 'host-keys.json'), 'utf8')) as {
          systemKeys: Record<string, string>;
        }
      ).systemKeys.durabletask_extension ?? '';
    const durable = (path: string, init?: RequestInit): Promise<Response> =>
      fetch(
        `${baseUrl}/runtime/webhooks/durabletask/${path}${path.includes('?') ? '&' : '?'}code=${systemKey()}`,
        init,
      );

    for (let round = 1; round <= options.rounds; round++) {
      next = spawnNext();
      await Promise.all(
        Array.from({ length: options.instancesPerRound }, async (_, i) => {
          const id = `crash-${process.pid}-${round}-${i}`;
          const proceed = `go${round}.${i}`;
          try {
            if ((await durable(`orchestrators/crashWorkload/${id}`, { method: 'POST' })).status !== 202)
              return;
            const raised = await durable(`instances/${id}/raiseEvent/Proceed`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(proceed),
            });
            if (raised.status === 202) acknowledged.set(id, proceed);
          } catch {
            // not acknowledged, so no promise was made
          }
        }),
      );
      // Kill at a random point after the round's starts were acknowledged, while work is in flight.
      const delay = options.minDelayMs + Math.random() * (options.maxDelayMs - options.minDelayMs);
      await new Promise((done) => setTimeout(done, delay));
      await current.kill();
      const restartAt = Date.now();
      current = next;
      next = undefined;
      baseUrl = await current.go();
      options.progress?.(
        `round ${round}/${options.rounds}: killed ${Math.round(delay)} ms after the starts, ` +
          `restart took ${Date.now() - restartAt} ms, ${acknowledged.size} instances so far`,
      );
    }

    const settleAt = Date.now();
    const problems: string[] = [];
    for (const [id, proceed] of acknowledged) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const response = await durable(`instances/${id}`);
        const status = (await response.json()) as { runtimeStatus?: string; output?: unknown };
        if (status.runtimeStatus === 'Completed' && status.output === expectedCrashOutput(proceed)) break;
        if (
          ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus ?? '') ||
          Date.now() > deadline
        ) {
          problems.push(`${id}: ${status.runtimeStatus ?? response.status} ${JSON.stringify(status.output)}`);
          break;
        }
        await new Promise((done) => setTimeout(done, 50));
      }
    }
    options.progress?.(`all instances settled ${Date.now() - settleAt} ms after the last restart`);
    const ran = new Set(
      readFileSync(activityLog, 'utf8')
        .split('\n')
        .map((line) =>
          line
            .split(' ')
            .filter((_, i) => i !== 1)
            .join(' '),
        ),
    );
    const missingSteps: string[] = [];
    for (const id of acknowledged.keys()) {
      for (const step of steps)
        if (!ran.has(`${id} ${JSON.stringify(step)}`)) missingSteps.push(`${id} ${step}`);
    }
    return { rounds: options.rounds, instances: acknowledged.size, problems, missingSteps };
  } finally {
    await next?.kill();
    await current.kill();
    await azurite.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
