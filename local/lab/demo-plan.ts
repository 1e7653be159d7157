// Uploads the demo plan (plans/shop.yaml) to a running host, the way an operator would: PUT over the API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repositoryRoot } from './start';

/** The shop's public health URL in plans/shop.yaml; the lab has no internet, so it points at the host instead. */
const shopHealthUrl = 'https://shop.contoso.com/health';

export interface UploadedPlan {
  name: string;
  hash: string;
  /** False when the host already had this exact version. */
  changed: boolean;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Scales a plan's machine durations by the ARM simulator's time scale, so a lab run takes seconds
 * instead of real minutes: step budgets (the orchestrator times its first job poll from them), check
 * intervals and retry back-offs. Timeouts and the RTO objective stay as written (they are upper bounds,
 * and the plan rules want whole minutes); approval and `ask` timeouts need real time for people anyway.
 */
export function scalePlanDurations(source: string, timeScale: number): string {
  const minutes = (value: number): number => round(value * timeScale);
  const seconds = (value: number): number => Math.max(1, round(value * timeScale));
  const plan = parse(source) as unknown;
  const budgets = objectAt(plan, ['defaults', 'budgetMinutes']);
  for (const kind of Object.keys(budgets ?? {})) scale(budgets, [kind], minutes);
  scale(plan, ['defaults', 'onFailure', 'backoffSeconds'], seconds);
  const groups = listAt(plan, ['groups']).flatMap((group) => listAt(group, ['steps']));
  for (const step of [...listAt(plan, ['steps']), ...groups]) {
    scale(step, ['budgetMinutes'], minutes);
    scale(step, ['check', 'intervalSeconds'], seconds);
    scale(step, ['onFailure', 'backoffSeconds'], seconds);
  }
  return stringify(plan);
}

function objectAt(value: unknown, path: string[]): Record<string, unknown> | undefined {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : undefined;
}

function listAt(value: unknown, path: string[]): unknown[] {
  const parent = objectAt(value, path.slice(0, -1));
  const list = parent?.[path.at(-1) ?? ''];
  return Array.isArray(list) ? (list as unknown[]) : [];
}

/** Replaces the number at `path` (when there is one) with `fn(number)`. */
function scale(value: unknown, path: string[], fn: (n: number) => number): void {
  const parent = path.length === 1 ? objectAt({ root: value }, ['root']) : objectAt(value, path.slice(0, -1));
  const key = path.at(-1) ?? '';
  const current = parent?.[key];
  if (parent && typeof current === 'number') parent[key] = fn(current);
}

export interface DemoPlanOptions {
  /** The ARM simulator's time scale: when given, machine durations in the plan are scaled by it. */
  timeScale?: number;
  root?: string;
  /** Where the health check points; default the host's own `/api/health` at `baseUrl`. */
  healthUrl?: string;
}

/**
 * The host's own health endpoint, where the lab's demo plan points its health check. Loopback and plain
 * http, so the lab lists exactly this URL in OUTBOUND_ALLOWED_TARGETS (not the whole host: the Durable
 * listener on the same port must stay out of reach of plans).
 */
export function labHealthUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/api/health`;
}

/** The demo plan's source as the lab stores it: the health check aimed at the host's own /api/health. */
export function demoPlanSource(baseUrl: string, options: DemoPlanOptions = {}): string {
  const source = readFileSync(join(options.root ?? repositoryRoot(), 'plans', 'shop.yaml'), 'utf8');
  const health = options.healthUrl ?? labHealthUrl(baseUrl);
  const local = source.split(shopHealthUrl).join(health);
  return options.timeScale === undefined ? local : scalePlanDurations(local, options.timeScale);
}

/**
 * PUTs the demo plan to `baseUrl` (e.g. `http://localhost:7071`) with a function (or host/master) key.
 * Throws with the API's error message when the host refuses it.
 */
export async function uploadDemoPlan(
  baseUrl: string,
  functionKey: string,
  options: DemoPlanOptions = {},
): Promise<UploadedPlan> {
  const base = baseUrl.replace(/\/$/, '');
  const response = await fetch(`${base}/api/plans/contoso-shop`, {
    method: 'PUT',
    headers: { 'content-type': 'application/yaml', 'x-functions-key': functionKey },
    body: demoPlanSource(base, options),
  });
  const text = await response.text();
  let body: { name?: string; hash?: string; changed?: boolean; error?: { message?: string } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // fall through with the raw text below
  }
  if (!response.ok || !body.name || !body.hash) {
    throw new Error(
      `uploading the demo plan failed: HTTP ${response.status} ${body.error?.message ?? text.slice(0, 300)}`,
    );
  }
  return { name: body.name, hash: body.hash, changed: body.changed ?? true };
}
