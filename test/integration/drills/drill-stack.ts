/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// The local stack for drill tests: the e2e RunStack (Azurite, ARM simulator, host on this app) with the
// drill scanner ticking every two seconds and the Teams/e-mail sinks capturing notices.
import { parse, stringify } from 'yaml';
import { compactUtc } from '../../../core/run/drill-schedule';
import { demoPlanSource } from '../../../local/lab/demo-plan';
import { startSinks, type RunningSinks } from '../../../local/sinks/start-sinks';
import { RunStack } from '../e2e-run/run-stack';

export const SCAN_SCHEDULE = '*/2 * * * * *';

export interface DrillStack {
  stack: RunStack;
  sinks: RunningSinks;
  stop(): Promise<void>;
}

export async function startDrillStack(): Promise<DrillStack> {
  const sinks = await startSinks();
  try {
    const stack = await RunStack.start({
      settings: {
        DRILL_SCAN_SCHEDULE: SCAN_SCHEDULE,
        TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': `${sinks.teamsWebhookUrl}/dr` }),
        EMAIL_SINK_URL: sinks.emailEndpoint,
        // The sinks are on loopback: allowed explicitly, as the lab does.
        OUTBOUND_ALLOWED_TARGETS: sinks.url,
      },
    });
    return {
      stack,
      sinks,
      async stop() {
        await stack.stop();
        await sinks.stop();
      },
    };
  } catch (error) {
    await sinks.stop();
    throw error;
  }
}

/** A one-shot NCRONTAB schedule firing at `at` (whole seconds, UTC) — once a year, so exactly once in a test. */
export function onceAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

/** The next whole second at least `leadMs` from now. */
export function soon(leadMs: number): Date {
  return new Date(Math.ceil((Date.now() + leadMs) / 1000) * 1000);
}

/**
 * The demo plan stored as `name`, drilling once at `at` (or on `options.schedule`; the id is `at`'s): cleanup at once (no delay), and steps that fail
 * stop the drill instead of asking a person (nobody is awake for a drill).
 */
export async function storeDrillPlan(
  stack: RunStack,
  name: string,
  at: Date,
  options: { schedule?: string; healthUrl?: string } = {},
): Promise<string> {
  const plan = parse(
    demoPlanSource(stack.host.baseUrl, {
      timeScale: stack.timeScale,
      healthUrl: options.healthUrl ?? stack.healthUrl,
    }),
  );
  plan.metadata.name = name;
  plan.drill.schedule = options.schedule ?? onceAt(at);
  plan.drill.cleanup = { policy: 'always', delayMinutes: 0 };
  plan.defaults.onFailure = 'stop';
  const reply = await stack.api('PUT', `/api/plans/${name}`, { raw: stringify(plan) });
  if (reply.status >= 300) throw new Error(`storing ${name} failed: ${JSON.stringify(reply.body)}`);
  return `drill-${name}-${compactUtc(at)}`;
}

/** Polls the plan's drill history until `until` holds for the drill of `runId`. */
export async function waitForDrill(
  stack: RunStack,
  plan: string,
  runId: string,
  until: (drill: any) => boolean,
  timeoutMs = 40_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const reply = await stack.api('GET', `/api/plans/${plan}/drills`);
    last = reply.body;
    const drill = reply.status === 200 ? reply.body.drills.find((d: any) => d.runId === runId) : undefined;
    if (drill && until(drill)) return drill;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(
    `drill ${runId} did not reach the expected state; last history:\n${JSON.stringify(last, null, 2)}`,
  );
}
