// Uploads the demo plan (plans/shop.yaml) to a running host, the way an operator would: PUT over the API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './start';

/** The shop's public health URL in plans/shop.yaml; the lab has no internet, so it points at the host instead. */
const shopHealthUrl = 'https://shop.contoso.com/health';

export interface UploadedPlan {
  name: string;
  hash: string;
  /** False when the host already had this exact version. */
  changed: boolean;
}

/** The demo plan's source as the lab stores it: the health check aimed at the host's own /api/health. */
export function demoPlanSource(baseUrl: string, root: string = repositoryRoot()): string {
  const source = readFileSync(join(root, 'plans', 'shop.yaml'), 'utf8');
  return source.split(shopHealthUrl).join(`${baseUrl.replace(/\/$/, '')}/api/health`);
}

/**
 * PUTs the demo plan to `baseUrl` (e.g. `http://localhost:7071`) with a function (or host/master) key.
 * Throws with the API's error message when the host refuses it.
 */
export async function uploadDemoPlan(baseUrl: string, functionKey: string): Promise<UploadedPlan> {
  const base = baseUrl.replace(/\/$/, '');
  const response = await fetch(`${base}/api/plans/contoso-shop`, {
    method: 'PUT',
    headers: { 'content-type': 'application/yaml', 'x-functions-key': functionKey },
    body: demoPlanSource(base),
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
