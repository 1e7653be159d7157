import type { CliIo, Command } from './command';

const keyEnv = 'DURABLE_RECOVERY_KEY';

const usage = `Usage: durable-recovery doctor --url <app> [--key <function key>] [--json]

Asks a deployed app whether it can run its stored plans (GET <app>/api/readiness): settings, Key Vault
references, storage, the identity's role and read access on each plan's vault and Automation account,
the runbooks plans name, a channel for every approver group. Each failed check says what to do.

  --url <app>   the app's base URL, e.g. https://func-api-abc123.azurewebsites.net (https; http only
                for localhost/127.0.0.1)
  --key <key>   a function key (or set ${keyEnv}, which keeps it out of shell history); sent in the
                x-functions-key header, never in the URL
  --json        print the app's report as JSON

Exit codes: 0 ready (warnings allowed), 1 a check failed or the app did not answer, 2 usage error.`;

interface DoctorArgs {
  url: URL;
  key: string | undefined;
  json: boolean;
}

interface Check {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

interface Report {
  ready: boolean;
  checkedAt: string;
  counts: { pass: number; warn: number; fail: number };
  checks: Check[];
}

/** Parses the options; a mistake comes back as a message naming the option and the rule. */
export function parseDoctorArgs(
  args: string[],
  env: Record<string, string | undefined>,
): DoctorArgs | string {
  const values: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag !== '--url' && flag !== '--key') return `unknown option '${arg}'`;
    const value = inline ?? args[++i];
    if (value === undefined || value.trim() === '') return `${flag}: needs a value`;
    values[flag] = value.trim();
  }
  const raw = values['--url'];
  if (raw === undefined) return '--url: required (the app, e.g. https://<app>.azurewebsites.net)';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `--url: must be an absolute URL, got '${raw}'`;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return '--url: must be https (http only for localhost/127.0.0.1): the function key must not cross the network in clear';
  if (url.search || url.hash || url.username || url.password)
    return '--url: no query, fragment or user name (give the key with --key or the environment)';
  return { url, key: values['--key'] ?? env[keyEnv]?.trim() ?? undefined, json };
}

/** `durable-recovery doctor`: the readiness report of a deployed app, for people and scripts. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check a deployed app can run its plans (GET /api/readiness)',
  usage,
  async run(args, io) {
    const parsed = parseDoctorArgs(args, process.env);
    if (typeof parsed === 'string') {
      io.err(`doctor: ${parsed}\n${usage}\n`);
      return 2;
    }
    const target = new URL(`${parsed.url.pathname.replace(/\/+$/, '')}/api/readiness`, parsed.url);
    let response: Response;
    try {
      response = await fetch(target, {
        headers: { accept: 'application/json', ...(parsed.key ? { 'x-functions-key': parsed.key } : {}) },
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      io.err(`doctor: ${target.origin} did not answer (${cause}). Is the URL right and the app running?\n`);
      return 1;
    }
    const text = await response.text();
    const report = reportOf(text);
    if (!report) {
      io.err(`doctor: ${explainStatus(response.status, parsed.key !== undefined)}\n`);
      return 1;
    }
    if (parsed.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report, target.origin, io);
    return report.ready ? 0 : 1;
  },
};

function reportOf(text: string): Report | undefined {
  try {
    const body = JSON.parse(text) as Partial<Report>;
    return typeof body.ready === 'boolean' && Array.isArray(body.checks) ? (body as Report) : undefined;
  } catch {
    return undefined;
  }
}

function explainStatus(status: number, hadKey: boolean): string {
  if (status === 401 || status === 403)
    return hadKey
      ? `the app refused the key (HTTP ${status}): use a function key of this app (Functions → App keys).`
      : `the app asks for a function key (HTTP ${status}): pass --key or set ${keyEnv}.`;
  if (status === 404)
    return 'the app has no /api/readiness (HTTP 404): deploy this version (azd deploy), or check --url.';
  if (status >= 500)
    return `the app answered HTTP ${status} without a readiness report: it may not have started (an invalid setting stops the start with "Invalid configuration"); see its logs (Application Insights, Log stream).`;
  return `the app answered HTTP ${status} without a readiness report; see its logs (Application Insights).`;
}

const marks: Record<Check['status'], string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' };

function printReport(report: Report, origin: string, io: CliIo): void {
  io.out(`Readiness of ${origin} (checked ${report.checkedAt})\n\n`);
  for (const check of report.checks) {
    io.out(`  ${marks[check.status]}  ${check.title}\n        ${check.detail}\n`);
    if (check.fix && check.status !== 'pass') io.out(`        → ${check.fix}\n`);
  }
  const { pass, warn, fail } = report.counts;
  io.out(
    `\n${pass} ok, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed: ${report.ready ? 'READY' : 'NOT READY'}\n`,
  );
}
