import { z } from 'zod';
import { OUTBOUND_ALLOWLIST_SETTING, parseAllowedTargets } from '../../core/net/outbound-target';
import { parseNcrontab } from '../../core/plan/ncrontab';
import {
  readApprovalSettings,
  readNotifySettings,
  type ApprovalSettings,
  type NotifySettings,
  type SettingsResult,
} from '../notify/notify-settings';
import { checkPublicBaseUrl, readPublicBaseUrl } from './public-base-url';

/** One setting: its environment variable (an app setting in Azure), what it is for, and its default. */
export interface SettingSpec {
  env: string;
  doc: string;
  default?: string;
  /** What the documentation shows as the default when it is not a fixed value. */
  docDefault?: string;
  schema: z.ZodType<unknown>;
}

const httpsUrl = z
  .string()
  .url({ error: 'must be an absolute URL' })
  .refine((value) => value.startsWith('https://'), {
    error: 'must be an https:// URL (the Azure SDK sends bearer tokens over TLS only)',
  })
  .transform((value) => value.replace(/\/+$/, ''));

const publicBaseUrl = z.string().transform((value, ctx) => {
  const checked = checkPublicBaseUrl(value);
  if ('url' in checked) return checked.url;
  ctx.addIssue({ code: 'custom', message: checked.rule });
  return z.NEVER;
});

const positiveInt = (max: number): z.ZodType<number> =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .max(max, { error: `must be at most ${max}` });

const connectionString = z
  .string()
  .refine(
    (value) =>
      /(^|;)\s*(AccountName|BlobEndpoint)\s*=/i.test(value) || value === 'UseDevelopmentStorage=true',
    {
      error: 'must be a storage connection string (with AccountName=… or BlobEndpoint=…)',
    },
  );

const allowedTargets = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const { targets, errors } = parseAllowedTargets(value);
    for (const message of errors) ctx.issues.push({ code: 'custom', message, input: value });
    return targets;
  });

/**
 * Every setting the adapters read, in one place: the table docs/configuration.md documents. Values
 * come from the environment (Function App settings in Azure, local.settings.json `Values` locally).
 */
export const settings = {
  storageConnection: {
    env: 'DR_STORAGE',
    doc: 'Connection string of the storage account holding plans, reports and audit logs. Falls back to `AzureWebJobsStorage`.',
    schema: connectionString.optional(),
  },
  webJobsStorage: {
    env: 'AzureWebJobsStorage',
    doc: "The Functions host's storage account (Durable state). Used for plans and reports too when `DR_STORAGE` is not set. `UseDevelopmentStorage=true` works with Azurite on its default ports.",
    schema: connectionString.optional(),
  },
  blobServiceUrl: {
    env: 'DR_STORAGE_BLOB_URL',
    doc: '`https://<account>.blob.core.windows.net`: use the managed identity (DefaultAzureCredential, role _Storage Blob Data Contributor_) instead of a connection string. Wins over both connection strings.',
    schema: httpsUrl.optional(),
  },
  container: {
    env: 'DR_CONTAINER',
    doc: 'Blob container for `plans/…` and `runs/…`; created on first use. 3–63 lowercase letters, digits, single hyphens.',
    default: 'durable-recovery',
    schema: z.string().regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
      error: 'must be 3-63 lowercase letters, digits or single hyphens (a blob container name)',
    }),
  },
  armEndpoint: {
    env: 'DR_ARM_ENDPOINT',
    doc: "Azure Resource Manager endpoint for Site Recovery and Automation. Locally: the ARM simulator's `https://127.0.0.1:<port>`. Must be https.",
    default: 'https://management.azure.com',
    schema: httpsUrl,
  },
  credential: {
    env: 'DR_CREDENTIAL',
    doc: '`default` = `DefaultAzureCredential` (managed identity in Azure; set `AZURE_CLIENT_ID` to pick a user-assigned identity). `static-token` = a fixed bearer token, for the local ARM simulator only.',
    default: 'default',
    schema: z.enum(['default', 'static-token'], { error: "must be 'default' or 'static-token'" }),
  },
  staticToken: {
    env: 'DR_STATIC_TOKEN',
    doc: 'The token sent when `DR_CREDENTIAL=static-token` (the simulator accepts any).',
    default: 'local-arm-simulator',
    schema: z.string().min(1, { error: 'must not be empty' }),
  },
  armCaFile: {
    env: 'DR_ARM_CA_FILE',
    doc: "PEM file of one more CA to trust for ARM calls, added to the system roots (the simulator's `.lab/arm-sim/ca.pem`). `NODE_EXTRA_CA_CERTS=<file>` works as well, for the whole process.",
    schema: z.string().min(1).optional(),
  },
  armMaxRetries: {
    env: 'DR_ARM_MAX_RETRIES',
    doc: 'SDK retries of ARM **reads** (GET). 0–10. Action POSTs are never retried by the SDK, whatever this says (see below).',
    default: '3',
    schema: positiveInt(10),
  },
  armRetryDelayMs: {
    env: 'DR_ARM_RETRY_DELAY_MS',
    doc: 'First back-off of a read retry; doubles per attempt. 429/503 responses wait for their `Retry-After` instead.',
    default: '1000',
    schema: positiveInt(60_000),
  },
  armMaxRetryDelayMs: {
    env: 'DR_ARM_MAX_RETRY_DELAY_MS',
    doc: 'Longest back-off of a read retry.',
    default: '16000',
    schema: positiveInt(120_000),
  },
  armMaxRetryAfterSeconds: {
    env: 'DR_ARM_MAX_RETRY_AFTER_SECONDS',
    doc: 'Longest `Retry-After` an ARM read waits for inside the call (0–600). A longer one fails the activity at once as `retryable` with that wait, and the orchestrator waits on a durable timer instead of an activity sleeping.',
    default: '10',
    schema: positiveInt(600),
  },
  itemIndexTtlSeconds: {
    env: 'DR_ITEM_INDEX_TTL_SECONDS',
    doc: 'How long the per-vault index _item name / VM id → protected item id_ is trusted before the vault is listed again.',
    default: '300',
    schema: positiveInt(86_400),
  },
  publicBaseUrl: {
    env: 'PUBLIC_BASE_URL',
    docDefault: 'https://$WEBSITE_HOSTNAME',
    doc: 'Where people and clients reach the app, e.g. `https://dr.contoso.com` (optionally with a path). Base of every absolute link, and the only browser `Origin` accepted ([below](#public-base-url)).',
    schema: publicBaseUrl.optional(),
  },
  runbookOutputMaxBytes: {
    env: 'DR_RUNBOOK_OUTPUT_MAX_BYTES',
    doc: 'Runbook output kept per job (for the report); longer output is cut with a note.',
    default: '65536',
    schema: positiveInt(1_048_576),
  },
  approvalPublicBaseUrl: {
    env: 'APPROVAL_PUBLIC_BASE_URL',
    doc: 'The older name of PUBLIC_BASE_URL, read when PUBLIC_BASE_URL is not set. Same rules.',
    schema: publicBaseUrl.optional(),
  },
  websiteHostname: {
    env: 'WEBSITE_HOSTNAME',
    doc: 'Set by App Service (and the local host), not by you: the app’s default host name, the last fallback of PUBLIC_BASE_URL.',
    schema: z.string().optional(),
  },
  // Approvals and notices (approvals.md#settings). Their rules span several settings (a signing key
  // needs a public base URL, ACS needs a sender), so loadAppConfig checks them together below.
  approvalSigningKey: {
    env: 'APPROVAL_SIGNING_KEY',
    doc: 'Secret (at least 32 bytes, or `base64:…`) that signs approval links. Unset: approval links cannot be sent and /api/approve answers 503; a bad value stops the start.',
    schema: z.string().optional(),
  },
  approvalLoginPath: {
    env: 'APPROVAL_LOGIN_PATH',
    doc: 'Where the approval page and the console send people to sign in: /.auth/login/<provider> (`/.auth/login/dev` in the lab).',
    default: '/.auth/login/aad',
    schema: z.string(),
  },
  teamsWebhookUrls: {
    env: 'TEAMS_WEBHOOK_URLS',
    doc: 'JSON object: approver group (or `*` for every other group) → Teams Workflows webhook URL (https; http only on loopback).',
    schema: z.string().optional(),
  },
  emailSinkUrl: {
    env: 'EMAIL_SINK_URL',
    doc: 'Send e-mails as JSON to this URL instead of through ACS (the lab’s mail sink). Wins over ACS_EMAIL_CONNECTION_STRING.',
    schema: z.string().optional(),
  },
  acsEmailConnectionString: {
    env: 'ACS_EMAIL_CONNECTION_STRING',
    doc: 'Azure Communication Services e-mail: endpoint=https://<resource>.communication.azure.com/;accesskey=<key>. Needs EMAIL_SENDER_ADDRESS. Unset (and no sink): no e-mails.',
    schema: z.string().optional(),
  },
  emailSenderAddress: {
    env: 'EMAIL_SENDER_ADDRESS',
    doc: 'The verified ACS sender, e.g. DoNotReply@<domain>. With the sink: durable-recovery@localhost unless set.',
    schema: z.string().optional(),
  },
  drillScanSchedule: {
    env: 'DRILL_SCAN_SCHEDULE',
    doc: 'NCRONTAB (with seconds) of the drill scheduler timer that starts due drills ([drills.md](drills.md)). The lab scans every 30 s (`LAB_DRILL_SCAN_SCHEDULE`).',
    default: '0 * * * * *',
    schema: z.string().refine((value) => parseNcrontab(value).ok, {
      error: 'must be an NCRONTAB expression with seconds, e.g. 0 */5 * * * *',
    }),
  },
  readinessIntervalMinutes: {
    env: 'READINESS_INTERVAL_MINUTES',
    doc: 'How often every stored plan is evaluated for readiness, in minutes ([readiness.md](readiness.md)); `0` turns the timer off (evaluations on request still work). The timer ticks every minute and evaluates the plans whose latest evaluation is older than this.',
    default: '15',
    schema: positiveInt(1440),
  },
  outboundAllowedTargets: {
    env: OUTBOUND_ALLOWLIST_SETTING,
    doc: 'Comma-separated targets that `check` and `webhook` steps and notifications may call although the outbound policy refuses them (plain http, loopback, private networks; [plan-format.md](plan-format.md#outbound-targets)): origins (`http://127.0.0.1:7071`) or origin/path prefixes (`http://127.0.0.1:7071/api/health`). Scheme, host and port must match exactly; no query, no wildcards. Plans are checked against it when stored and when read. The lab sets it to its own `/api/health` and its sinks.',
    schema: allowedTargets,
  },
  triggerSecret: {
    env: 'TRIGGER_SECRET',
    doc: 'Secret (at least 32 characters) Azure Monitor action-group webhooks send as `?secret=` to POST /api/triggers/{plan} ([health-and-triggers.md](health-and-triggers.md)). In Azure a Key Vault reference. Unset: every alert is refused with 401. Never logged.',
    schema: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  },
} satisfies Record<string, SettingSpec>;

type Settings = typeof settings;
type ParsedSettings = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** The validated settings, plus what several settings decide together. */
export type AppConfig = ParsedSettings & {
  /** The public base URL as links use it: PUBLIC_BASE_URL, else its older name, else WEBSITE_HOSTNAME. */
  publicBaseUrl: string | undefined;
  /** Approval links: the settings, or why approvals are off (no APPROVAL_SIGNING_KEY). */
  approval: SettingsResult<ApprovalSettings>;
  notify: NotifySettings;
  /** Settings App Service could not resolve from Key Vault: treated as unset (withoutUnresolvedReferences). */
  unresolvedReferences: string[];
};

/**
 * The configured outbound exceptions, for callers that need only this setting (plan validation in the
 * API, notifications). Invalid entries allow nothing; the app's start check reports them.
 */
export function outboundAllowlist(env: Record<string, string | undefined> = process.env): string[] {
  return parseAllowedTargets(env[OUTBOUND_ALLOWLIST_SETTING]).targets;
}

/**
 * The drill timer's schedule binding. The host reads bindings when functions are registered, before
 * appStart: `%DRILL_SCAN_SCHEDULE%` when the setting exists (the host resolves it), else the default
 * (an unresolvable %name% would stop the whole host). loadAppConfig checks the value itself.
 */
export function drillScanScheduleBinding(env: Record<string, string | undefined> = process.env): string {
  const { env: name, default: fallback } = settings.drillScanSchedule;
  return env[name]?.trim() ? `%${name}%` : fallback;
}

const keyVaultReference = /^\s*@Microsoft\.KeyVault\(/i;

/**
 * App Service leaves a Key Vault reference it could not resolve (no role for the identity yet, a
 * deleted secret) as its literal `@Microsoft.KeyVault(…)` text. That text must never serve as the
 * secret: a signing key made of it would be public. Such settings count as unset (approvals off, no
 * Teams or e-mail), the app still starts, and GET /api/readiness names them with the fix.
 */
export function withoutUnresolvedReferences(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  unresolved: string[];
} {
  const unresolved = Object.keys(env)
    .filter((name) => keyVaultReference.test(env[name] ?? ''))
    .sort();
  if (unresolved.length === 0) return { env, unresolved };
  const resolved = { ...env };
  for (const name of unresolved) delete resolved[name];
  return { env: resolved, unresolved };
}

/** A setting is missing or invalid: the message names every offending variable and its rule. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates every setting at once (fail fast, all problems in one message). Empty strings
 * count as unset, as in Function App settings, and so do unresolved Key Vault references.
 */
export function loadAppConfig(given: Record<string, string | undefined> = process.env): AppConfig {
  const { env, unresolved } = withoutUnresolvedReferences(given);
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(settings) as [keyof Settings, SettingSpec][]) {
    const raw = env[spec.env];
    const value = raw === undefined || raw.trim() === '' ? spec.default : raw.trim();
    const result = spec.schema.safeParse(value);
    if (result.success) config[key] = result.data;
    else
      problems.push(`${spec.env}: ${result.error.issues[0]?.message ?? 'is invalid'}${shown(spec, value)}`);
  }
  const parsed = config as ParsedSettings;
  if (problems.length === 0 && !parsed.blobServiceUrl && !parsed.storageConnection && !parsed.webJobsStorage)
    problems.push(
      'DR_STORAGE: is required (or AzureWebJobsStorage, or DR_STORAGE_BLOB_URL with a managed identity): plans and reports live in blob storage',
    );
  const links = readPublicBaseUrl(env);
  if (!links.ok) addOnce(problems, [links.error]);
  const notify = readNotifySettings(env);
  if (!notify.ok) addOnce(problems, notify.errors);
  // Without a signing key approvals are simply off (the endpoint answers 503); a key that is set but
  // wrong, or set without a base URL for its links, is a mistake the start reports.
  const approval = readApprovalSettings(env);
  if (!approval.ok && parsed.approvalSigningKey !== undefined) addOnce(problems, approval.errors);
  if (problems.length) throw new ConfigError(problems);
  return {
    ...parsed,
    publicBaseUrl: links.ok ? links.url : undefined,
    approval,
    notify: notify.ok ? notify.settings : { teamsWebhooks: {}, email: { kind: 'none' } },
    unresolvedReferences: unresolved,
  };
}

/** Adds the problems of settings not reported yet (a setting's own rule and a joint rule can overlap). */
function addOnce(problems: string[], more: string[]): void {
  const named = (problem: string): string => problem.split(':')[0] ?? problem;
  for (const problem of more) if (!problems.some((p) => named(p) === named(problem))) problems.push(problem);
}

/** The bad value, for settings that are not secrets (connection strings and tokens are never echoed). */
function shown(spec: SettingSpec, value: string | undefined): string {
  if (value === undefined || /Storage|TOKEN|KEY|SECRET|CONNECTION_STRING|URLS/i.test(spec.env)) return '';
  return ` (got '${value.slice(0, 100)}')`;
}
