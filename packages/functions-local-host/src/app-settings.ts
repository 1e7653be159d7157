// App settings as Core Tools provides them: local.settings.json `Values` become environment variables
// (a variable already set in the environment wins, as in `func start`), and binding or host.json values
// of the form `%Name%` resolve against them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostStartError } from './host-start-error';

export type Settings = Record<string, string | undefined>;

export interface LoadedSettings {
  /** Values read from local.settings.json (empty when the file is absent). */
  values: Record<string, string>;
  /** Names skipped because the environment already defined them. */
  skipped: string[];
}

/** Reads `<appDir>/local.settings.json`; a malformed file is a start error naming the file and the field. */
export function readLocalSettings(appDir: string): Record<string, string> {
  const file = join(appDir, 'local.settings.json');
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HostStartError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const values = (parsed as { Values?: unknown } | null)?.Values ?? {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new HostStartError(`${file}: "Values" must be an object of strings`);
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new HostStartError(`${file}: "Values.${name}" must be a string`);
    }
    result[name] = String(value);
  }
  return result;
}

/** Applies local settings to `env` plus the variables the real host sets for a Node app on `port`. */
export function applySettings(
  appDir: string,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  const values = readLocalSettings(appDir);
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined && env[name] !== value) skipped.push(name);
    else env[name] = value;
  }
  env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
  // The Durable client rewrites its URLs to localhost:7071 unless this names the real origin (protocol §5.2).
  env.WEBSITE_HOSTNAME = `localhost:${port}`;
  return { values, skipped };
}

const reference = /%([^%]+)%/g;

/** Replaces every `%Name%` in `text`; an undefined setting is an error naming the reference, like the host's. */
export function resolveSettingReferences(text: string, settings: Settings, where: string): string {
  return text.replace(reference, (_match, name: string) => {
    const value = settings[name];
    if (value === undefined) throw new HostStartError(`${where}: '%${name}%' does not resolve to a value.`);
    return value;
  });
}

/** Deep copy of `value` with `%Name%` references resolved in every string. */
export function resolveDeep<T>(value: T, settings: Settings, where: string): T {
  if (typeof value === 'string') return resolveSettingReferences(value, settings, where) as T;
  if (Array.isArray(value))
    return value.map((item, i) => resolveDeep(item, settings, `${where}[${i}]`) as unknown) as T;
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = resolveDeep(item, settings, `${where}.${key}`);
    return copy as T;
  }
  return value;
}
