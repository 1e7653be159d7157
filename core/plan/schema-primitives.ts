import { z } from 'zod';
import { parseNcrontab } from './ncrontab';
import { LIMITS } from './limits';
import { OPERATIONS, RECOVERY_POINT_TYPES } from './plan-types';

// Building blocks shared by the step and plan schemas. Messages here are the ones users read, so they
// say what the rule is rather than what the regex is.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ARM_PREFIX = '^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/';

export const text = z.string().min(1).max(LIMITS.maxStringLength);

/**
 * Zero-width characters, the BOM, the word joiner, the soft hyphen and direction controls: invisible,
 * so two names that print the same would differ. Refused in names (people, items, resources, keys);
 * free text (descriptions, messages) may hold them.
 */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** A name: no invisible characters, on top of its own format. */
export function visibleName<T extends z.ZodString>(schema: T): T {
  return schema.refine((value) => !INVISIBLE.test(value), {
    error: (issue) => {
      const input = typeof issue.input === 'string' ? issue.input : '';
      const code = INVISIBLE.exec(input)?.[0].charCodeAt(0) ?? 0;
      return `contains an invisible character (U+${code.toString(16).toUpperCase().padStart(4, '0')}), so it would look like another name; remove it`;
    },
    params: { rule: 'name/invisible-character' },
  });
}

export const guid = z
  .string()
  .regex(GUID, { error: 'must be a GUID like 00000000-0000-0000-0000-000000000000' });

/** Safe in URLs, blob names and Durable instance ids. */
export const planName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error:
    'must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit (it is used in URLs and blob names)',
});

/** Step ids and group names end up in instance ids and Automation job names. */
export const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, {
  error: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit',
});

export const email = visibleName(z.string()).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, {
  error: 'must be an e-mail address',
});

/** Approvers are people: an e-mail (UPN) or an Entra object id. */
export const member = visibleName(z.string()).regex(
  /^([^@\s]+@[^@\s]+\.[^@\s]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
  {
    error: 'must be an e-mail address or an Entra object id (GUID)',
  },
);

export const resourceGroupName = z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, {
  error: 'must be 1-90 letters, digits, "-", "_", ".", "(" or ")", not ending in "."',
});

export const vaultName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{1,49}$/, {
  error: 'must be 2-50 letters, digits or hyphens, starting with a letter',
});

export const automationAccountName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,48}[a-zA-Z0-9]$/, {
  error: 'must be 2-50 letters, digits or hyphens, starting with a letter and ending with a letter or digit',
});

export const runbookName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,62}$/, {
  error: 'must be 1-63 letters, digits, "-" or "_", starting with a letter',
});

const vmIdMessage =
  'must be a VM resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>';

export const vmResourceId = visibleName(z.string()).regex(
  new RegExp(`${ARM_PREFIX}Microsoft\\.Compute/virtualMachines/[^/]+$`, 'i'),
  {
    error: vmIdMessage,
  },
);

export const vnetResourceId = visibleName(z.string()).regex(
  new RegExp(`${ARM_PREFIX}Microsoft\\.Network/virtualNetworks/[^/]+$`, 'i'),
  {
    error:
      'must be a virtual network resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>',
  },
);

const PROTECTED_ITEM = /^[^/\s][^\s]{0,259}$/;

/** Protected-item names as ASR shows them (no spaces). */
export const protectedItemName = visibleName(z.string()).regex(PROTECTED_ITEM, {
  error: 'must be a protected-item name (no spaces, not starting with "/")',
});

/** A failover item written as a plain string: a protected-item name, or a VM resource id when it starts with "/". */
export const itemRef = visibleName(z.string()).superRefine((value, ctx) => {
  if (value.startsWith('/')) {
    if (!vmResourceId.safeParse(value).success) {
      ctx.addIssue({ code: 'custom', message: vmIdMessage, params: { rule: 'failover/item-ref' } });
    }
  } else if (!PROTECTED_ITEM.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a protected-item name (no spaces) or a VM resource id starting with /subscriptions/',
      params: { rule: 'failover/item-ref' },
    });
  }
});

export const httpUrl = z
  .string()
  .max(LIMITS.maxStringLength)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    error: 'must be an absolute http:// or https:// URL',
    params: { rule: 'url/format' },
  });

/** A duration in minutes; fractions are allowed (0.5 = 30 s). */
export function minutes(min: number, max: number = LIMITS.maxMinutes) {
  return z.number().min(min).max(max);
}

export const operation = z.enum(OPERATIONS);
export const operations = z.array(operation).min(1).max(OPERATIONS.length);

export const recoveryPoint = z.union([z.enum(RECOVERY_POINT_TYPES), z.strictObject({ id: text })]);

export const statusCodes = z.union([
  z.int().min(100).max(599),
  z.array(z.int().min(100).max(599)).min(1).max(20),
]);

export const headers = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be an HTTP header name' }),
  text,
);

export const ncrontab = z.string().superRefine((value, ctx) => {
  const parsed = parseNcrontab(value);
  if (!parsed.ok)
    ctx.addIssue({
      code: 'custom',
      message: `invalid NCRONTAB schedule: ${parsed.message}`,
      params: { rule: 'drill/schedule' },
    });
});

export const retrySettings = z.strictObject({
  attempts: z.int().min(1).max(LIMITS.maxRetryAttempts).optional(),
  backoffSeconds: z.number().min(0).max(LIMITS.maxBackoffSeconds).optional(),
  backoffFactor: z.number().min(1).max(10).optional(),
  maxBackoffSeconds: z.number().min(0).max(LIMITS.maxBackoffSeconds).optional(),
});

export const failurePolicy = z.union([
  z.enum(['stop', 'continue', 'ask', 'retry']),
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('stop') }),
    z.strictObject({ action: z.literal('continue') }),
    z.strictObject({
      action: z.literal('ask'),
      group: identifier.optional(),
      timeoutMinutes: minutes(1).optional(),
    }),
    retrySettings.extend({
      action: z.literal('retry'),
      then: z.enum(['stop', 'continue', 'ask']).optional(),
      group: identifier.optional(),
    }),
  ]),
]);
