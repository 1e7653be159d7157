import { runView, storedPlan } from '../../functions/http/api-schemas';
import { ApiFailure, type ApiClient } from './api-client';
import { CONNECTION_USAGE, secondsFlag, type ParsedArgs } from './cli-args';
import type { CliIo } from './command';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';
import { changeLines, endLine, failoverItems, renderFrame, type RunView } from './watch-view';

export const WATCH_OPTIONS = {
  interval: { type: 'string' },
  'until-waiting': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

export const WATCH_USAGE = `  --interval <s>     seconds between looks at the run (default 2)
  --timeout <s>      give up watching after this long (exit 1; the run goes on); default: until it ends
  --until-waiting    stop (exit 0) as soon as the run waits for a person: an approval or a decision`;

const usage = `Usage: durable-recovery watch <run> [--interval <s>] [--timeout <s>] [--until-waiting] [--json]

Follows a run until it ends: steps and their status, the items of failover steps, who it waits for
(with the command that answers), and the forecast finish against the plan's RTO. On a terminal the
picture is redrawn in place; otherwise (a pipe, a CI log) it prints one line per change. With --json
it prints the run's JSON (GET /api/runs/{run}) once per change, one document per line (JSON Lines).

Exit codes: 0 the run succeeded (or, with --until-waiting, it waits for a person), 3 it ended
otherwise (failed, cancelled, terminated), 1 refused or unreachable or --timeout passed, 2 usage.

Options:
${WATCH_USAGE}

${CONNECTION_USAGE}`;

/** Consecutive failed looks (app restarting, 503 busy) tolerated before watch gives up. */
const TOLERATED_FAILURES = 5;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function planItems(client: ApiClient, view: RunView): Promise<Map<string, string[]>> {
  if (!view.plan.name || !view.plan.hash) return new Map();
  try {
    const path = `/api/plans/${encodeURIComponent(view.plan.name)}?hash=${encodeURIComponent(view.plan.hash)}`;
    return failoverItems((await client.send('GET', path, storedPlan)).body.source);
  } catch {
    return new Map(); // items are a nicety; the run's steps are what matter
  }
}

/** Polls the run and shows it until it ends; returns the exit code (0 succeeded, 3 other end, 1 gave up). */
export async function watchRun(
  client: ApiClient,
  runId: string,
  io: CliIo,
  options: { json: boolean; intervalMs: number; timeoutMs?: number; untilWaiting?: boolean },
): Promise<number> {
  const sleep = io.sleep ?? sleepFor;
  const redraw = io.isTty === true && !options.json;
  let before: RunView | undefined;
  let lastFrame = '';
  let items: Map<string, string[]> | undefined;
  let failures = 0;
  let waited = 0;
  let unknownLooks = 0;
  for (;;) {
    let view: RunView;
    try {
      view = (await client.send('GET', `/api/runs/${encodeURIComponent(runId)}`, runView)).body;
      failures = 0;
    } catch (error) {
      const transient = error instanceof ApiFailure && (error.status === 0 || error.status === 503);
      if (!transient || ++failures >= TOLERATED_FAILURES) throw error;
      if (!options.json) io.err(`watch: ${error.message}; trying again\n`);
      await sleep(options.intervalMs);
      waited += options.intervalMs;
      continue;
    }
    if (options.json) {
      if (JSON.stringify(view) !== JSON.stringify(before)) io.out(`${JSON.stringify(view)}\n`);
    } else if (redraw) {
      items ??= await planItems(client, view);
      const frame = renderFrame(view, items);
      // Clear and redraw only when something changed: a frame per poll would flicker.
      if (frame !== lastFrame) io.out(`\x1b[H\x1b[2J${frame}`);
      lastFrame = frame;
    } else {
      for (const line of changeLines(before, view)) io.out(`${line}\n`);
    }
    before = view;
    // `unknown`: Durable has no instance (yet, right after a start on a busy host); look a few more times.
    if (view.state === 'unknown' && ++unknownLooks < TOLERATED_FAILURES) {
      await sleep(options.intervalMs);
      waited += options.intervalMs;
      continue;
    }
    if (!view.active && view.state !== 'pending') {
      if (!options.json) io.out(`${endLine(view)}\n`);
      return view.state === 'succeeded' ? EXIT.ok : EXIT.runNotSucceeded;
    }
    // For scripts and the README tour: hand over to `approve`/`decide` once someone is needed.
    if (options.untilWaiting && (view.progress?.waiting?.length ?? 0) > 0) return EXIT.ok;
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      io.err(
        `watch: run ${runId} is still ${view.state} after ${options.timeoutMs / 1000} s; it goes on (watch it again: durable-recovery watch ${runId})\n`,
      );
      return EXIT.failed;
    }
    await sleep(options.intervalMs);
    waited += options.intervalMs;
  }
}

/** The watch flags as milliseconds. */
export function watchTiming(args: ParsedArgs): {
  intervalMs: number;
  timeoutMs?: number;
  untilWaiting: boolean;
} {
  const interval = secondsFlag(args, 'interval', 2, 3600);
  const timeout =
    args.values.timeout === undefined ? undefined : secondsFlag(args, 'timeout', 1, 7 * 24 * 3600);
  return {
    intervalMs: interval * 1000,
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    untilWaiting: args.values['until-waiting'] === true,
  };
}

/** `durable-recovery watch <run>`: live progress until the run ends. */
export const watchCommand = remoteCommand({
  name: 'watch',
  summary: 'follow a run live: steps, items, waits, forecast against the RTO',
  usage,
  positionals: ['run'],
  options: WATCH_OPTIONS,
  check: (args) => void watchTiming(args),
  run: ({ io, args, client, json }) =>
    watchRun(client, args.positionals[0] ?? '', io, { json, ...watchTiming(args) }),
});
