import { z } from 'zod';
import { OUTBOUND_ALLOWLIST_SETTING, parseAllowedTargets } from '../../core/net/outbound-target';
import { checkPublicBaseUrl } from './public-base-url';

/** One setting: its environment variable (an app setting in Azure), what it is for, and its default. */
export interface SettingSpec {
  env: string;
  doc: string;
  default?: string;
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
    doc: 'Connection string of the storage account for plans, reports and audit logs. Falls back to AzureWebJobsStorage.',
    schema: connectionString.optional(),
  },
  webJobsStorage: {
    env: 'AzureWebJobsStorage',
    doc: 'The Functions host storage account (Durable state); also used for plans and reports when DR_STORAGE is not set.',
    schema: connectionString.optional(),
  },
  blobServiceUrl: {
    env: 'DR_STORAGE_BLOB_URL',
    doc: 'Blob endpoint (https://<account>.blob.core.windows.net) used with the managed identity instead of a connection string. Wins over both connection strings.',
    schema: httpsUrl.optional(),
  },
  container: {
    env: 'DR_CONTAINER',
    doc: 'Blob container holding plans/<name>/… and runs/<runId>/…; created on first use.',
    default: 'durable-recovery',
    schema: z.string().regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
      error: 'must be 3-63 lowercase letters, digits or single hyphens (a blob container name)',
    }),
  },
  armEndpoint: {
    env: 'DR_ARM_ENDPOINT',
    doc: 'Azure Resource Manager endpoint for Site Recovery and Automation. Locally: the ARM simulator’s https://127.0.0.1:<port>.',
    default: 'https://management.azure.com',
    schema: httpsUrl,
  },
  credential: {
    env: 'DR_CREDENTIAL',
    doc: '`default`: DefaultAzureCredential (managed identity in Azure; AZURE_CLIENT_ID picks a user-assigned one). `static-token`: a fixed bearer token, for the local ARM simulator only.',
    default: 'default',
    schema: z.enum(['default', 'static-token'], { error: "must be 'default' or 'static-token'" }),
  },
  staticToken: {
    env: 'DR_STATIC_TOKEN',
    doc: 'The token sent when DR_CREDENTIAL=static-token (the simulator accepts any).',
    default: 'local-arm-simulator',
    schema: z.string().min(1, { error: 'must not be empty' }),
  },
  armCaFile: {
    env: 'DR_ARM_CA_FILE',
    doc: 'PEM file of an extra CA to trust for ARM calls (the simulator’s ca.pem), added to the system roots. NODE_EXTRA_CA_CERTS works too.',
    schema: z.string().min(1).optional(),
  },
  armMaxRetries: {
    env: 'DR_ARM_MAX_RETRIES',
    doc: 'SDK retries for ARM reads (GETs). Action POSTs are never retried by the SDK, whatever this says.',
    default: '3',
    schema: positiveInt(10),
  },
  armRetryDelayMs: {
    env: 'DR_ARM_RETRY_DELAY_MS',
    doc: 'First back-off of an ARM read retry (doubles each time); 429/503 wait for Retry-After instead.',
    default: '1000',
    schema: positiveInt(60_000),
  },
  armMaxRetryDelayMs: {
    env: 'DR_ARM_MAX_RETRY_DELAY_MS',
    doc: 'Longest back-off of an ARM read retry.',
    default: '16000',
    schema: positiveInt(120_000),
  },
  armMaxRetryAfterSeconds: {
    env: 'DR_ARM_MAX_RETRY_AFTER_SECONDS',
    doc: 'Longest Retry-After an ARM read waits for inside a call; a longer one fails the activity as retryable and the orchestrator waits on a durable timer.',
    default: '10',
    schema: positiveInt(600),
  },
  itemIndexTtlSeconds: {
    env: 'DR_ITEM_INDEX_TTL_SECONDS',
    doc: 'How long the per-vault index of protected items (name / VM id → item id) is trusted before the vault is listed again.',
    default: '300',
    schema: positiveInt(86_400),
  },
  publicBaseUrl: {
    env: 'PUBLIC_BASE_URL',
    doc: 'Origin (and optional base path) of every absolute link the app gives clients: Location headers, approval links, links in notices, the OpenAPI server; also the only Origin accepted from browsers on approvals and decisions. Default: https://$WEBSITE_HOSTNAME; never the request Host header.',
    schema: publicBaseUrl.optional(),
  },
  runbookOutputMaxBytes: {
    env: 'DR_RUNBOOK_OUTPUT_MAX_BYTES',
    doc: 'Runbook output kept per job for the report.',
    default: '65536',
    schema: positiveInt(1_048_576),
  },
  outboundAllowedTargets: {
    env: OUTBOUND_ALLOWLIST_SETTING,
    doc: 'Comma-separated origins (http://127.0.0.1:7071) or origin/path prefixes that check and webhook steps and notifications may call although the outbound policy refuses them (plain http, loopback, private networks). Scheme, host and port must match exactly. Default: none.',
    schema: allowedTargets,
  },
} satisfies Record<string, SettingSpec>;

type Settings = typeof settings;
export type AppConfig = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/**
 * The configured outbound exceptions, for callers that need only this setting (plan validation in the
 * API, notifications). Invalid entries allow nothing; the app's start check reports them.
 */
export function outboundAllowlist(env: Record<string, string | undefined> = process.env): string[] {
  return parseAllowedTargets(env[OUTBOUND_ALLOWLIST_SETTING]).targets;
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
 * count as unset, as in Function App settings.
 */
export function loadAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
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
  const parsed = config as AppConfig;
  if (problems.length === 0 && !parsed.blobServiceUrl && !parsed.storageConnection && !parsed.webJobsStorage)
    problems.push(
      'DR_STORAGE: is required (or AzureWebJobsStorage, or DR_STORAGE_BLOB_URL with a managed identity): plans and reports live in blob storage',
    );
  if (problems.length) throw new ConfigError(problems);
  return parsed;
}

/** The bad value, for settings that are not secrets (connection strings and tokens are never echoed). */
function shown(spec: SettingSpec, value: string | undefined): string {
  if (value === undefined || /Storage|TOKEN/i.test(spec.env)) return '';
  return ` (got '${value.slice(0, 100)}')`;
}
