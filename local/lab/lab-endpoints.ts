// Where a running lab can be reached: `npm start` writes `<labDir>/lab.json`, and lab commands run from
// another terminal (`lab reset`) read it with the host's keys file next to it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabEndpoints {
  /** The local Functions host, e.g. http://127.0.0.1:7071 */
  hostUrl: string;
  /** The ARM simulator, e.g. https://127.0.0.1:7443 */
  armEndpoint: string;
  /** The simulator's CA certificate (PEM file). */
  armCaCertPath: string;
}

const FILE = 'lab.json';

export function writeLabEndpoints(labDir: string, endpoints: LabEndpoints): void {
  writeFileSync(join(labDir, FILE), `${JSON.stringify(endpoints, null, 2)}\n`);
}

/** The running lab's endpoints and the host's default function key; a message naming what is missing. */
export function readLabEndpoints(labDir: string): (LabEndpoints & { functionKey: string }) | string {
  const file = join(labDir, FILE);
  const keysFile = join(labDir, 'host-keys.json');
  if (!existsSync(file) || !existsSync(keysFile))
    return `no lab found in ${labDir} (${FILE} or host-keys.json is missing): start it with \`npm start\``;
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as Partial<LabEndpoints>;
  const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as { functionKeys?: Record<string, string> };
  const functionKey = keys.functionKeys?.default;
  if (!endpoints.hostUrl || !endpoints.armEndpoint || !endpoints.armCaCertPath)
    return `${file}: hostUrl, armEndpoint and armCaCertPath are required; restart the lab with \`npm start\``;
  if (!functionKey) return `${keysFile}: functionKeys.default is missing; restart the lab with \`npm start\``;
  return {
    hostUrl: endpoints.hostUrl,
    armEndpoint: endpoints.armEndpoint,
    armCaCertPath: endpoints.armCaCertPath,
    functionKey,
  };
}
