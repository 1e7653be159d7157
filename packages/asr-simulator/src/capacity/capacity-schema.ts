import { z } from 'zod';

/** A quota line: the limit and what is in use now (vCPUs for families and `cores`). */
const usageSchema = z
  .object({
    limit: z.number().int().nonnegative(),
    current: z.number().int().nonnegative().default(0),
  })
  .strict();

const regionSchema = z
  .object({
    /** Availability zones the region has (resource SKUs' `locationInfo.zones`); [] for a region without zones. */
    zones: z.array(z.string().min(1)).default(['1', '2', '3']),
    /** The `cores` line ("Total Regional vCPUs"); current defaults to the sum of the families' current. */
    totalRegionalVCpus: z
      .object({
        limit: z.number().int().nonnegative(),
        current: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /** Per family (`standardDSv5Family`): limit and current vCPUs. Unlisted families get the defaults. */
    families: z.record(z.string().min(1), usageSchema).default({}),
    /** VM sizes the region offers; default: every known size (the catalogue, `sizes` and the items' sizes). */
    offered: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type CapacityRegion = z.infer<typeof regionSchema>;

const sizeSchema = z
  .object({
    name: z.string().regex(/^Standard_\w+$/, 'a VM size name such as Standard_D4s_v5'),
    family: z.string().min(1),
    vCpus: z.number().int().positive(),
    memoryGb: z.number().positive(),
  })
  .strict();

/** A resource SKU restriction: the size cannot be deployed in the region (Location) or in some zones (Zone). */
export const restrictionSchema = z
  .object({
    subscriptionId: z.string().uuid().optional(),
    size: z.string().min(1),
    location: z.string().min(1),
    type: z.enum(['Location', 'Zone']).default('Location'),
    /** Zone restrictions: the zones the size is not offered in. */
    zones: z.array(z.string().min(1)).optional(),
    reasonCode: z.enum(['NotAvailableForSubscription', 'QuotaId']).default('NotAvailableForSubscription'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.type === 'Zone' && !r.zones?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['zones'],
        message: 'a Zone restriction needs zones: the zones the size is not offered in',
      });
    if (r.type === 'Location' && r.zones?.length)
      ctx.addIssue({ code: 'custom', path: ['zones'], message: 'zones apply to type Zone only' });
  });
export type RestrictionInput = z.input<typeof restrictionSchema>;
export type Restriction = z.infer<typeof restrictionSchema>;

const regionsSchema = z.record(
  z.string().regex(/^[a-z0-9]+$/, 'a region name such as uksouth'),
  regionSchema,
);

/**
 * The `capacity` section: compute quotas (usages) and the VM sizes each region offers (resource SKUs).
 * The scenario's subscription always has its primary and recovery regions; `subscriptions` adds others.
 */
export const capacitySchema = z
  .object({
    /** Limit of a family line no region lists. */
    defaultFamilyLimit: z.number().int().nonnegative().default(100),
    /** Limit of the `cores` line when a region gives none. */
    defaultRegionalLimit: z.number().int().nonnegative().default(350),
    regions: regionsSchema.default({}),
    /** Sizes beyond the built-in catalogue (compute-sizes.ts). */
    sizes: z.array(sizeSchema).default([]),
    restrictions: z.array(restrictionSchema).default([]),
    /** Other subscriptions' regions (e.g. a separate recovery subscription). */
    subscriptions: z.record(z.string().uuid(), z.object({ regions: regionsSchema }).strict()).default({}),
  })
  .strict();
export type CapacitySpec = z.infer<typeof capacitySchema>;
