import { readFileSync } from 'node:fs';
import { startDurableStack, waitForStatus, type DurableStack } from './durable-stack';

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
  /** Stack to use (default: a fresh one, stopped at the end). */
  stack?: DurableStack;
}

/**
 * Kills the host with SIGKILL at random points while crashWorkload instances run, restarts it on the
 * same Azurite data, and finally checks every acknowledged instance completed with the right output and
 * every activity ran at least once. Starts and events count as acknowledged once the API answered 202.
 */
export async function runCrashRounds(options: CrashOptions): Promise<CrashReport> {
  const stack = options.stack ?? (await startDurableStack());
  const acknowledged = new Map<string, string>();
  let counter = 0;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const starts: Promise<void>[] = [];
      for (let i = 0; i < options.instancesPerRound; i++) {
        const id = `crash-${process.pid}-${round}-${i}-${counter++}`;
        const proceed = `go${round}.${i}`;
        starts.push(
          (async () => {
            try {
              const start = await stack.durable(`orchestrators/crashWorkload/${id}`, { method: 'POST' });
              if (start.status !== 202) return;
              const raised = await stack.durable(`instances/${id}/raiseEvent/Proceed`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(proceed),
              });
              if (raised.status === 202) acknowledged.set(id, proceed);
            } catch {
              // the kill may cut a request short: not acknowledged, so no promise was made
            }
          })(),
        );
      }
      // Kill at a random point after the round's starts were acknowledged, while work is in flight.
      await Promise.all(starts);
      const delay = options.minDelayMs + Math.random() * (options.maxDelayMs - options.minDelayMs);
      await new Promise((done) => setTimeout(done, delay));
      stack.host.kill('SIGKILL');
      await stack.host.exited;
      const restartAt = Date.now();
      await stack.restartHost();
      options.progress?.(
        `round ${round}/${options.rounds}: killed ${Math.round(delay)} ms after the starts, ` +
          `restart took ${Date.now() - restartAt} ms, ${acknowledged.size} instances so far`,
      );
    }
    const settleAt = Date.now();
    const problems: string[] = [];
    for (const [id, proceed] of acknowledged) {
      try {
        const status = await waitForStatus(stack, id, ['Completed', 'Failed', 'Terminated'], 60_000);
        if (status.runtimeStatus !== 'Completed' || status.output !== expectedCrashOutput(proceed)) {
          problems.push(`${id}: ${status.runtimeStatus} ${JSON.stringify(status.output)}`);
        }
      } catch (error) {
        problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    options.progress?.(`all instances settled ${Date.now() - settleAt} ms after the last restart`);
    const log = readFileSync(stack.activityLog, 'utf8');
    const ran = new Set(
      log.split('\n').map((line) =>
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
    if (!options.stack) await stack.stop();
  }
}
