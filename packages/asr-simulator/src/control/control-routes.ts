import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import type { ArmSimulator } from '../arm-simulator';
import { webhookUrl } from '../automation/automation-routes';
import { authorizationSchema } from '../authorization/authorization-schema';
import { resourceControl } from '../resources/resource-control';
import { ScenarioError, loadScenarioFile, validateScenario } from '../scenario/load-scenario';
import { itemId } from '../site-recovery/protected-item';
import { readinessControl } from './readiness-controls';

/** What `GET /_sim/info` answers; also what `durable-recovery arm-sim` prints. */
export interface SimInfo {
  endpoint: string;
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
  vaultId: string;
  automationAccount: string;
  caCertPath: string;
  scenario: string;
  timeScale: number;
  items: number;
  recoveryPlans: string[];
  runbooks: string[];
  webhooks: Record<string, string>;
  apiVersions: { siteRecovery: string; automationJobs: string; automationWebhooks: string };
}

/** One item as `GET /_sim/items` summarises it (for tests and the lab, no ARM shapes). */
export interface SimItemSummary {
  vmName: string;
  name: string;
  id: string;
  protectionState: string;
  activeLocation: string;
  /** The item's current provider (InMageRcm becomes InMageRcmFailback after reprotect, etc.). */
  provider: string;
  allowedOperations: string[];
  currentJob?: string;
  /** Normal unless a health event or `PUT /_sim/items/{vm}/health` changed it. */
  replicationHealth: string;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The control plane under `/_sim` (no bearer token; the server listens on loopback only): scenario,
 * faults, ledger and counters, reset, info. JSON in and out; bad input is a 400 naming the field.
 */
export async function handleControl(
  sim: ArmSimulator,
  req: IncomingMessage,
  res: ServerResponse,
  info: () => SimInfo,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  const reply = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };
  try {
    if (!isLoopback(req.socket.remoteAddress))
      throw new ControlError(403, 'The control plane answers loopback clients only.');
    const body = await readBody(req);
    // Compute and network resources: /_sim/resources…, /_sim/sql-availability-groups (resources/).
    const resourceAnswer = resourceControl(sim.resources, req.method ?? 'GET', url, body);
    if (resourceAnswer) return reply(resourceAnswer.status, resourceAnswer.body);
    switch (route) {
      case 'GET /_sim/info':
        return reply(200, info());
      case 'GET /_sim/scenario':
        return reply(200, sim.scenario);
      case 'PUT /_sim/scenario':
      case 'POST /_sim/scenario': {
        const scenario = await scenarioFrom(body);
        sim.load(scenario);
        sim.ledger.clear();
        return reply(200, info());
      }
      case 'POST /_sim/reset':
        sim.load(sim.scenario);
        sim.faults.clear();
        sim.ledger.clear();
        return reply(200, info());
      case 'GET /_sim/faults':
        return reply(200, { faults: sim.faults.list() });
      case 'POST /_sim/faults':
        return reply(201, sim.faults.add(body));
      case 'DELETE /_sim/faults':
        sim.faults.clear();
        return reply(200, { faults: [] });
      case 'GET /_sim/ledger': {
        const since = Number(url.searchParams.get('since') ?? '0') || 0;
        const operation = url.searchParams.get('operation');
        return reply(200, {
          requests: sim.ledger.requests.filter(
            (r) => r.seq > since && (!operation || r.operation === operation),
          ),
          events: sim.ledger.events.filter((e) => e.seq > since),
        });
      }
      case 'DELETE /_sim/ledger':
        sim.ledger.clear();
        return reply(200, { cleared: true });
      case 'GET /_sim/counters':
        return reply(200, sim.ledger.counters);
      // Role-based access control (authorization/): replaced until the next reset or scenario load,
      // which restore the scenario's own section. DELETE allows every caller everything again.
      case 'GET /_sim/authorization':
        return reply(200, { authorization: sim.authorizer.policy ?? null });
      case 'PUT /_sim/authorization': {
        const parsed = authorizationSchema.safeParse(body);
        if (!parsed.success)
          throw new ControlError(
            400,
            parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
          );
        sim.authorizer.policy = parsed.data;
        return reply(200, { authorization: parsed.data });
      }
      case 'DELETE /_sim/authorization':
        sim.authorizer.policy = undefined;
        return reply(200, { authorization: null });
      case 'GET /_sim/items':
        return reply(200, { items: itemSummaries(sim) });
      case 'PUT /_sim/time-scale': {
        const scale =
          typeof body === 'object' && body !== null ? (body as { timeScale?: unknown }).timeScale : undefined;
        if (typeof scale !== 'number' || !(scale > 0) || scale > 1000)
          throw new ControlError(400, 'timeScale must be a number in (0, 1000].');
        sim.clock.timeScale = scale;
        return reply(200, info());
      }
      default: {
        const extra = await readinessControl(sim, route, url.searchParams, body);
        if (extra) return reply(extra.status, extra.body);
        throw new ControlError(404, `No control operation '${route}'. See docs/arm-simulator.md.`);
      }
    }
  } catch (error) {
    if (error instanceof ControlError)
      return reply(error.status, {
        error: { code: error.status === 404 ? 'NotFound' : 'BadRequest', message: error.message },
      });
    if (error instanceof ScenarioError)
      return reply(400, { error: { code: 'InvalidScenario', message: error.message, issues: error.issues } });
    if (error instanceof ZodError)
      return reply(400, {
        error: {
          code: 'InvalidFault',
          message: error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
        },
      });
    return reply(500, {
      error: { code: 'InternalServerError', message: error instanceof Error ? error.message : String(error) },
    });
  }
}

export function simInfo(sim: ArmSimulator, endpoint: string, caCertPath: string): SimInfo {
  const { scenario, siteRecovery, automation } = sim;
  return {
    endpoint,
    subscriptionId: scenario.subscriptionId,
    resourceGroup: scenario.resourceGroup,
    vaultName: scenario.vault.name,
    vaultId: siteRecovery.vaultId,
    automationAccount: automation.account,
    caCertPath,
    scenario: scenario.name,
    timeScale: sim.clock.timeScale,
    items: siteRecovery.items.size,
    recoveryPlans: [...siteRecovery.plans.values()].map((p) => p.name),
    runbooks: automation.runbookList().map((r) => r.name),
    webhooks: Object.fromEntries(
      (scenario.automation?.webhooks ?? []).map((w) => [w.name, webhookUrl(automation, endpoint, w.name)]),
    ),
    apiVersions: {
      siteRecovery: '2023-06-01',
      automationJobs: '2017-05-15-preview',
      automationWebhooks: '2015-10-31',
    },
  };
}

function itemSummaries(sim: ArmSimulator): SimItemSummary[] {
  const state = sim.siteRecovery;
  return [...state.items.values()].map((item) => {
    const view = state.viewOf(item);
    const running = item.currentJob && !item.currentJob.finished ? item.currentJob.name : undefined;
    return {
      vmName: item.vmName,
      name: item.name,
      id: itemId(state.vaultId, item),
      protectionState: view.protectionState,
      activeLocation: item.activeLocation,
      provider: item.provider,
      allowedOperations: running ? [] : view.allowedOperations,
      ...(running ? { currentJob: running } : {}),
      replicationHealth: item.health?.replicationHealth ?? 'Normal',
    };
  });
}

async function scenarioFrom(body: unknown): Promise<ReturnType<typeof validateScenario>> {
  if (typeof body !== 'object' || body === null)
    throw new ControlError(
      400,
      'Body must be { "seed": "demo-shop" } | { "file": "<path>" } | { "scenario": { … } }.',
    );
  const { seed, file, scenario } = body as { seed?: unknown; file?: unknown; scenario?: unknown };
  if (typeof seed === 'string') return loadScenarioFile(seed.replace(/[/\\]/g, ''));
  if (typeof file === 'string') return loadScenarioFile(file);
  if (scenario !== undefined) return validateScenario(scenario, 'scenario');
  throw new ControlError(
    400,
    'Body needs one of: seed (a seed scenario name), file (a scenario file path), scenario (an inline scenario).',
  );
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError(400, 'The body is not valid JSON.');
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
