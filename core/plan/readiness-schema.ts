import { z } from 'zod';
import { guid, resourceGroupName } from './schema-primitives';

const region = z.string().regex(/^[a-z][a-z0-9]{1,40}$/, {
  error: 'must be an Azure region name in lower case without spaces, e.g. westeurope',
});

/** `<subscriptionId>/<resourceGroup>` or a bare resource group name (the vault's subscription). */
const scopeGroup = z.string().superRefine((value, ctx) => {
  const parts = value.split('/');
  const ok =
    (parts.length === 1 && resourceGroupName.safeParse(parts[0]).success) ||
    (parts.length === 2 && guid.safeParse(parts[0]).success && resourceGroupName.safeParse(parts[1]).success);
  if (!ok)
    ctx.addIssue({
      code: 'custom',
      message: 'must be a resource group name, or <subscriptionId>/<resourceGroup>',
    });
});

const tagName = z.string().min(1).max(512);
const tagValue = z.string().max(256);

/** The plan's `readiness:` block (docs/readiness.md, plan-format.md). */
export const readinessSchema = z.strictObject({
  targetRegion: region.optional(),
  scope: z
    .strictObject({
      resourceGroups: z.array(scopeGroup).min(1).max(50).optional(),
      tags: z.record(tagName, tagValue).optional(),
    })
    .refine((s) => (s.resourceGroups?.length ?? 0) > 0 || Object.keys(s.tags ?? {}).length > 0, {
      error: 'names resourceGroups, tags or both',
    })
    .optional(),
});
