/* eslint-disable @typescript-eslint/no-explicit-any -- API error bodies are loosely typed JSON */
// Steps that reach where they must not: a webhook aimed at the host's own Durable listener (the
// forged-approval route of issue 11), loopback/private/link-local/metadata addresses in every spelling,
// and a public-looking https URL whose redirect lands on a private address.
import type { Attack, AttackResult } from '../attack';
import { sleep } from '../attack';
import { batteryPlan, cancelRun, runView, stepOf } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

/** Hosts no step may reach, in the spellings that slip past naive checks. */
export const forbiddenHosts = [
  '127.0.0.1',
  'localhost',
  '[::1]',
  '169.254.169.254',
  '[::ffff:169.254.169.254]',
  '[::ffff:a9fe:a9fe]',
  '[::169.254.169.254]',
  '[64:ff9b::a9fe:a9fe]',
  '10.0.0.1',
  '0.0.0.0',
  '2130706433',
];

const checkStep = (url: string): string =>
  `  - id: probe\n    check: { http: { url: '${url}' }, intervalSeconds: 1, timeoutMinutes: 1 }`;
const webhookStep = (url: string): string => `  - id: hook\n    webhook: { url: '${url}' }`;

interface Upload {
  status: number;
  rules: string[];
}

async function upload(lab: BatteryStack, name: string, steps: string): Promise<Upload> {
  const reply = await lab.stack.api('PUT', `/api/plans/${name}`, { raw: batteryPlan(name, steps) });
  const details: any[] = Array.isArray(reply.body?.error?.details) ? reply.body.error.details : [];
  return { status: reply.status, rules: [...new Set(details.map((d) => String(d.rule)))] };
}

const refused = (u: Upload): boolean => u.status >= 400 && u.status < 500 && u.rules.length > 0;
const describe = (label: string, u: Upload): string =>
  refused(u) ? `${label} ${u.status} ${u.rules.join(',')}` : `${label} ACCEPTED (${u.status})`;

async function loopbackDurableWebhook(lab: BatteryStack): Promise<AttackResult> {
  const url = `http://127.0.0.1:${lab.stack.host.port}/runtime/webhooks/durabletask/instances/bat-victim/raiseEvent/approval`;
  const result = await upload(lab, 'bat-ssrf-durable', webhookStep(url));
  return {
    name: 'ssrf: webhook step to the host Durable listener (forged approval route)',
    expected: 'plan refused at upload with a rule id',
    observed: describe('upload', result),
    held: refused(result),
  };
}

async function forbiddenHost(lab: BatteryStack, host: string, index: number): Promise<AttackResult> {
  const tried: [string, Upload][] = [];
  for (const scheme of ['http', 'https']) {
    const url = `${scheme}://${host}/latest/meta-data`;
    tried.push([`check ${scheme}`, await upload(lab, `bat-ssrf-${index}-check-${scheme}`, checkStep(url))]);
    tried.push([
      `webhook ${scheme}`,
      await upload(lab, `bat-ssrf-${index}-hook-${scheme}`, webhookStep(url)),
    ]);
  }
  const accepted = tried.filter(([, u]) => !refused(u));
  const rules = [...new Set(tried.flatMap(([, u]) => u.rules))];
  return {
    name: `ssrf: ${host} in check/webhook URLs`,
    expected: 'http and https refused at upload, rule id',
    observed:
      accepted.length === 0
        ? `all 4 refused (${rules.join(',')})`
        : `${accepted.map(([label]) => label).join(', ')} accepted`,
    held: accepted.length === 0,
  };
}

async function redirectToPrivate(lab: BatteryStack): Promise<AttackResult> {
  const name = 'bat-ssrf-redirect';
  const result = await upload(lab, name, checkStep(`${lab.redirectorOrigin}/health`));
  const expected = 'redirect hop refused at run time, canary never reached';
  if (result.status >= 300) {
    // Not an answer about the redirect: the redirector (allowed by OUTBOUND_ALLOWED_TARGETS) was refused.
    return {
      name: 'ssrf: https URL redirecting to a private address',
      expected,
      observed: `the allowed redirector itself was refused at upload (${result.status} ${result.rules.join(',')}); OUTBOUND_ALLOWED_TARGETS not honoured`,
      held: false,
    };
  }
  const before = lab.canaryHits();
  const runId = await lab.stack.startRun(name, { operation: 'test' });
  // A few probes (one a second), or the check's verdict, whichever comes first.
  const deadline = Date.now() + 6_000;
  let probe: any;
  while (Date.now() < deadline && lab.canaryHits() === before) {
    probe = stepOf(await runView(lab, runId), 'probe');
    if (probe && ['succeeded', 'failed'].includes(probe.status)) break;
    await sleep(250);
  }
  probe = stepOf(await runView(lab, runId), 'probe');
  const hits = lab.canaryHits() - before;
  await cancelRun(lab, runId);
  return {
    name: 'ssrf: https URL redirecting to a private address',
    expected,
    observed: `canary reached ${hits} time(s); check step ${String(probe?.status ?? 'unknown')}${probe?.error?.message ? ` (${String(probe.error.message).slice(0, 60)})` : ''}`,
    held: hits === 0 && probe?.status !== 'succeeded',
  };
}

export const outboundTargets: Attack = {
  name: 'ssrf',
  short: true,
  async run(lab) {
    const results = [await loopbackDurableWebhook(lab)];
    for (const [index, host] of forbiddenHosts.entries()) results.push(await forbiddenHost(lab, host, index));
    results.push(await redirectToPrivate(lab));
    return results;
  },
};
