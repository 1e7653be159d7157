import { z } from 'zod';
import { apiSchemas } from './api-schemas';

// Bodies of the native plan routes (docs/api.md#native-asr-recovery-plans), registered with the
// OpenAPI components like every other API body.

const issue = z.object({
  rule: z.string(),
  path: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  line: z.number().optional(),
  column: z.number().optional(),
});

export const nativeImport = z
  .object({
    nativeName: z.string(),
    name: z.string(),
    fileName: z.string(),
    source: z.string(),
    attention: z.array(z.string()),
    notes: z.array(z.string()),
    ok: z.boolean(),
    issues: z.array(issue),
    equivalence: z.object({ matches: z.boolean(), groups: z.number(), differences: z.array(z.string()) }),
  })
  .register(apiSchemas, { id: 'NativePlanImport' });

export const nativeImportList = z
  .object({ vault: z.string(), plans: z.array(nativeImport) })
  .register(apiSchemas, { id: 'NativePlanImportList' });

export const nativeExportRequest = z
  .strictObject({
    nativeName: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/,
        'must be 1-64 letters, digits or "-", starting with a letter or digit',
      )
      .optional(),
    allowDropped: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .register(apiSchemas, { id: 'NativePlanExportRequest' });

export const nativeExportResult = z
  .object({
    name: z.string(),
    nativeName: z.string(),
    vault: z.string(),
    outcome: z.enum(['created', 'updated', 'unchanged', 'would-create', 'would-update']),
    groups: z.number(),
    items: z.number(),
    dropped: z.array(z.string()),
    notes: z.array(z.string()),
  })
  .register(apiSchemas, { id: 'NativePlanExportResult' });
