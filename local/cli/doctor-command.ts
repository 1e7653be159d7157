import { ApiFailure } from './api-client';
import { CONNECTION_USAGE, UsageError } from './cli-args';
import type { CliIo } from './command';
import type { Connection } from './connection';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';

const usage = `Usage: durable-recovery doctor [--json] [connection]

Asks a deployed app whether it can run its stored plans (GET <app>/api/readiness): settings, Key Vault
references, storage, the identity's role and read access on each plan's vault and Automation account,
the runbooks plans name, a channel for every approver group. Each failed check says what to do.
It finds the app like every API command: --url/--key, DURABLE_RECOVERY_URL/KEY, a profile, or the
running lab. The app must be https (http only on localhost/127.0.0.1): the key must not cross the
network in clear.

  --json             print the app's report as JSON

${CONNECTION_USAGE}

Exit codes: 0 ready (warnings allowed), 1 a check failed or the app did not answer, 2 usage error.`;

/** Readiness reads every plan's vault and account: give it time before calling the app unresponsive. */
const READINESS_TIMEOUT_MS = 120_000;

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

/** The key travels in a header on every call, so doctor refuses to send it to a remote http app. */
export function assertSafeTarget(connection: Connection): void {
  const url = new URL(connection.baseUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback)
    throw new UsageError(
      `doctor: ${connection.source}: must be https (http only for localhost/127.0.0.1): the function key must not cross the network in clear`,
    );
}

/** `durable-recovery doctor`: the readiness report of a deployed app, for people and scripts. */
export const doctorCommand = remoteCommand({
  name: 'doctor',
  summary: 'check a deployed app can run its plans (GET /api/readiness)',
  usage,
  positionals: [],
  run: async ({ io, client, json, printJson }) => {
    assertSafeTarget(client.connection);
    const answer = await client.exchange('GET', '/api/readiness', undefined, {
      timeoutMs: READINESS_TIMEOUT_MS,
    });
    const report = reportOf(answer.body);
    if (!report) {
      // An API error body (e.g. 403 without the operator role) says it best; else what the status means.
      const failure = client.failure(answer.status, answer.body);
      throw failure.code.startsWith('http-')
        ? new ApiFailure(
            answer.status,
            failure.code,
            explainStatus(answer.status, client.connection.key !== undefined),
          )
        : failure;
    }
    if (json) printJson(report);
    else printReport(report, client.connection.baseUrl, io);
    return report.ready ? EXIT.ok : EXIT.failed;
  },
});

function reportOf(body: unknown): Report | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const report = body as Partial<Report>;
  return typeof report.ready === 'boolean' && Array.isArray(report.checks) ? (report as Report) : undefined;
}

function explainStatus(status: number, hadKey: boolean): string {
  if (status === 401 || status === 403)
    return hadKey
      ? `the app refused the key (HTTP ${status}): use a function key of this app (Functions → App keys).`
      : `the app asks for a function key (HTTP ${status}): pass --key, set DURABLE_RECOVERY_KEY or use a profile with a key.`;
  if (status === 404)
    return 'the app has no /api/readiness (HTTP 404): deploy this version (azd deploy), or check its URL (--url, the profile).';
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
