/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies */
// The local stack for plan readiness tests: the e2e RunStack with the Teams/e-mail sinks, the demo plan
// stored as `shop-ready` with a drill network the simulator has and a drift scope, and helpers to drive
// the simulator's ARM resources directly (as a person in the portal would).
import { request } from 'node:https';
import { demoPlanSource } from '../../../local/lab/demo-plan';
import { startSinks, type RunningSinks } from '../../../local/sinks/start-sinks';
import { RunStack } from '../e2e-run/run-stack';

export const PLAN = 'shop-ready';
/** The same plan with a drift scope: the primary region's resource group. */
export const SCOPED = 'shop-scoped';

export interface ReadinessStack {
  stack: RunStack;
  sinks: RunningSinks;
  evaluate(plan?: string): Promise<any>;
  /** Sends an ARM request to the simulator as the lab identity. */
  arm(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The notices about the plan in the sinks: Teams cards and e-mails whose title names it. */
  notices(): { channel: string; title: string }[];
  stop(): Promise<void>;
}

export async function startReadinessStack(): Promise<ReadinessStack> {
  const sinks = await startSinks();
  let stack: RunStack;
  try {
    stack = await RunStack.start({
      settings: {
        TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': `${sinks.teamsWebhookUrl}/dr` }),
        EMAIL_SINK_URL: sinks.emailEndpoint,
        OUTBOUND_ALLOWED_TARGETS: sinks.url,
      },
    });
  } catch (error) {
    await sinks.stop();
    throw error;
  }
  const { sim } = stack;
  const source = demoPlanSource(stack.host.baseUrl, {
    timeScale: stack.timeScale,
    healthUrl: stack.healthUrl,
  })
    .replace('name: contoso-shop', `name: ${PLAN}`)
    // The simulator's isolated network of the recovery region (the demo plan's rg-dr/vnet-drill is not in it).
    .replace(
      /testNetworkId: \S+/,
      `testNetworkId: /subscriptions/${sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test`,
    );
  await stack.putPlan(PLAN, source);
  await stack.putPlan(
    SCOPED,
    source
      .replace(`name: ${PLAN}`, `name: ${SCOPED}`)
      .replace(/\ndrill:/, '\nreadiness:\n  scope:\n    resourceGroups: [rg-app-uksouth]\ndrill:'),
  );

  const arm = (method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const url = new URL(`${sim.endpoint}${path}`);
      const req = request(
        url,
        {
          method,
          ca: sim.caCertPem,
          headers: {
            authorization: 'Bearer local-arm-simulator',
            ...(text
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
              : {}),
          },
        },
        (res) => {
          let data = '';
          res.on('data', (chunk) => (data += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });

  return {
    stack,
    sinks,
    arm,
    async evaluate(plan = PLAN) {
      const reply = await stack.api('POST', `/api/plans/${plan}/readiness/evaluate`, {});
      if (reply.status !== 200) throw new Error(`evaluate: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    },
    notices: () =>
      sinks
        .messages()
        .filter((m) => m.title.includes(`Plan ${PLAN} `))
        .map((m) => ({ channel: m.channel, title: m.title })),
    async stop() {
      await stack.stop();
      await sinks.stop();
    },
  };
}
