import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { readLabEndpoints } from '../lab/lab-endpoints';
import { UsageError } from './cli-args';

// Where the API commands find the app and its key. The URL comes from the first of: --url, --profile,
// DURABLE_RECOVERY_URL, DURABLE_RECOVERY_PROFILE, the running lab (.lab/lab.json, written by
// `npm start`; --lab-dir or LAB_DIR move it). The key comes from --key or DURABLE_RECOVERY_KEY, else from
// the same source as the URL: a profile's key is never sent to a URL given elsewhere.

export interface Connection {
  /** The app's origin, e.g. http://127.0.0.1:7071 (no trailing slash, no /api). */
  baseUrl: string;
  /** A function key; never printed. */
  key?: string;
  /** Where the URL came from, for messages: `--url`, `DURABLE_RECOVERY_URL`, `profile prod`, `the lab in .lab`. */
  source: string;
}

export interface ConnectionFlags {
  url?: string;
  key?: string;
  profile?: string;
  labDir?: string;
}

const profileSchema = z.strictObject({
  url: z.string().min(1),
  key: z.string().min(1).optional(),
  /** The environment variable that holds the key, so the file holds no secret. */
  keyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});
const profilesFileSchema = z.strictObject({ profiles: z.record(z.string().min(1), profileSchema) });

/** The profiles file: DURABLE_RECOVERY_PROFILES, else $XDG_CONFIG_HOME or ~/.config, /durable-recovery/profiles.json. */
export function profilesFile(env: NodeJS.ProcessEnv): string {
  if (env.DURABLE_RECOVERY_PROFILES) return env.DURABLE_RECOVERY_PROFILES;
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'durable-recovery', 'profiles.json');
}

/** `https://app/` and `https://app/api` both become `https://app`; anything but http(s) is refused. */
export function normaliseUrl(text: string, from: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from}: '${text}' is not a URL (e.g. https://dr-func.azurewebsites.net)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${from}: must be an http or https URL, got '${url.protocol}'`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`${from}: give the app's address only (no credentials, query or fragment)`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}`;
}

function readProfile(
  name: string,
  env: NodeJS.ProcessEnv,
  warn: (text: string) => void,
): { url: string; key?: string } {
  const file = profilesFile(env);
  if (!existsSync(file)) {
    throw new UsageError(
      `--profile ${name}: no profiles file at ${file} (docs/cli.md#profiles shows its shape; \`lab\` needs none)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = profilesFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${file}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const profile = parsed.data.profiles[name];
  if (!profile) {
    const known = Object.keys(parsed.data.profiles);
    throw new UsageError(
      `--profile: no profile '${name}' in ${file} (it has ${known.length ? known.join(', ') : 'none'}; \`lab\` is built in)`,
    );
  }
  if (profile.key && process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    warn(`warning: ${file} holds a key and others can read it: chmod 600 it (or use keyEnv)`);
  }
  const key = profile.keyEnv ? env[profile.keyEnv] : profile.key;
  if (profile.keyEnv && !key) {
    throw new UsageError(`--profile ${name}: its key comes from ${profile.keyEnv}, which is not set`);
  }
  return { url: normaliseUrl(profile.url, `profile ${name} url`), ...(key ? { key } : {}) };
}

function readLab(labDir: string, explicit: boolean): { url: string; key: string } {
  const lab = readLabEndpoints(labDir);
  if (typeof lab === 'string') {
    throw new UsageError(
      explicit
        ? lab
        : `no app to talk to: give --url and --key, set DURABLE_RECOVERY_URL and DURABLE_RECOVERY_KEY, or use --profile (${lab})`,
    );
  }
  return { url: normaliseUrl(lab.hostUrl, `${labDir}/lab.json hostUrl`), key: lab.functionKey };
}

/** The app and key to use, or a UsageError naming what is missing and how to give it. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  warn: (text: string) => void = () => undefined,
): Connection {
  const labDir = resolve(cwd, flags.labDir ?? env.LAB_DIR ?? '.lab');
  const keyGiven = flags.key ?? (env.DURABLE_RECOVERY_KEY || undefined);
  const withKey = (baseUrl: string, source: string, sourceKey?: string): Connection => {
    const key = keyGiven ?? sourceKey;
    return { baseUrl, source, ...(key ? { key } : {}) };
  };
  // Flags beat the environment; at the same level a URL beats a profile.
  if (flags.url !== undefined) return withKey(normaliseUrl(flags.url, '--url'), '--url');
  let profile = flags.profile;
  if (profile === undefined && env.DURABLE_RECOVERY_URL) {
    return withKey(normaliseUrl(env.DURABLE_RECOVERY_URL, 'DURABLE_RECOVERY_URL'), 'DURABLE_RECOVERY_URL');
  }
  profile ??= env.DURABLE_RECOVERY_PROFILE || undefined;
  if (profile === 'lab' || (profile === undefined && flags.labDir !== undefined)) {
    const lab = readLab(labDir, true);
    return withKey(lab.url, `the lab in ${labDir}`, lab.key);
  }
  if (profile !== undefined) {
    const found = readProfile(profile, env, warn);
    return withKey(found.url, `profile ${profile}`, found.key);
  }
  const lab = readLab(labDir, false);
  return withKey(lab.url, `the lab in ${labDir}`, lab.key);
}
