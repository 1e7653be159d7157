/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is loosely typed JSON */
// The existing defences, kept quick: every API route (read from the app's own OpenAPI document)
// refuses a missing or wrong function key; every GET route is safe (calling them all changes nothing
// a user relies on); a body over the size limit is refused with 413 before it is parsed.
import type { Attack, AttackResult } from '../attack';
import { cancelRun, gatePlan, gateState, recordedDecisions, waitingRun } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

interface Route {
  method: string;
  path: string;
}

async function apiRoutes(lab: BatteryStack, runId: string): Promise<Route[]> {
  const doc = (await lab.stack.api('GET', '/api/openapi.json', { key: null })).body;
  const base = String(doc?.servers?.[0]?.url ?? '/api').replace(/^https?:\/\/[^/]+/, '');
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries<Record<string, unknown>>(doc?.paths ?? {})) {
    const path = `${template.startsWith('/api') ? '' : base}${template}`
      .replace('{name}', 'bat-api')
      .replace('{runId}', runId);
    for (const method of Object.keys(operations)) routes.push({ method: method.toUpperCase(), path });
  }
  return routes;
}

async function keys(lab: BatteryStack, routes: Route[]): Promise<AttackResult> {
  const wrong: string[] = [];
  for (const route of routes) {
    for (const key of [null, 'not-the-key']) {
      const reply = await lab.stack.api(route.method, route.path, {
        key,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      if (reply.status !== 401)
        wrong.push(
          `${route.method} ${route.path} ${key === null ? 'no key' : 'wrong key'} -> ${reply.status}`,
        );
    }
  }
  return {
    name: 'api: function key missing or wrong',
    expected: `401 on all ${routes.length} API routes`,
    observed: wrong.length === 0 ? `401 on all ${routes.length * 2} calls` : wrong.slice(0, 3).join('; '),
    held: routes.length > 0 && wrong.length === 0,
  };
}

async function snapshot(lab: BatteryStack, runId: string): Promise<string> {
  const runs = await lab.stack.api('GET', '/api/runs');
  const plan = await lab.stack.api('GET', '/api/plans/bat-api');
  const { requests } = await lab.stack.sim.control.ledger();
  return JSON.stringify({
    // Reads are fine (readiness reads items and jobs to prove access); a GET must never change ARM.
    armWrites: requests.filter((r) => r.method !== 'GET').length,
    messages: lab.sinks.messages().length,
    audit: (await lab.audit(runId)).length,
    decisions: await recordedDecisions(lab, runId),
    gate: await gateState(lab, runId),
    runs: (runs.body?.runs ?? []).map((r: any) => `${r.runId}:${r.state}`),
    plan: plan.body?.hash,
  });
}

/**
 * Waits until the stack is quiet (two snapshots 1.5 s apart agree, at most a minute): runs of earlier
 * attacks may still be finishing, and their ledger entries and notices must not count against GETs.
 */
async function quietSnapshot(lab: BatteryStack, runId: string): Promise<string> {
  let last = await snapshot(lab, runId);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const next = await snapshot(lab, runId);
    if (next === last) return next;
    last = next;
  }
  return last;
}

async function getSafety(lab: BatteryStack, routes: Route[], runId: string): Promise<AttackResult> {
  const gets = routes.filter((r) => r.method === 'GET');
  const before = await quietSnapshot(lab, runId);
  const errors: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (const route of gets) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await lab.stack.api(method, route.path);
        if (reply.status >= 500) errors.push(`${method} ${route.path} -> ${reply.status}`);
      }
    }
  }
  const after = await snapshot(lab, runId);
  return {
    name: 'api: GET-safety of every GET route',
    expected: 'no state change, no 5xx',
    observed: `${gets.length} routes x GET/HEAD x3: ${before === after ? 'nothing changed' : 'STATE CHANGED'}${errors.length ? `; ${errors.slice(0, 2).join('; ')}` : ''}`,
    held: gets.length > 0 && before === after && errors.length === 0,
  };
}

async function tooLarge(lab: BatteryStack): Promise<AttackResult> {
  const big = `# ${'x'.repeat(1024 * 1024 + 16)}\n`;
  const put = await lab.stack.api('PUT', '/api/plans/bat-api', { raw: big });
  const validate = await lab.stack.api('POST', '/api/validate', { raw: big });
  const codes = [put, validate].map((r) => `${r.status} ${String(r.body?.error?.code ?? '-')}`);
  return {
    name: 'api: body over 1 MiB',
    expected: '413 on PUT plan and validate',
    observed: `PUT ${codes[0]}, validate ${codes[1]}`,
    held: put.status === 413 && validate.status === 413,
  };
}

export const apiBasics: Attack = {
  name: 'api',
  short: true,
  async run(lab) {
    const runId = await waitingRun(lab, 'bat-api', gatePlan('bat-api'));
    const routes = await apiRoutes(lab, runId);
    const results = [await keys(lab, routes), await getSafety(lab, routes, runId), await tooLarge(lab)];
    await cancelRun(lab, runId);
    return results;
  },
};
