import { z } from 'zod';
import { planDocumentSchema } from './plan-schema';

/** Where the app serves the schema (GET, no key): editors fetch it from a deployed app. */
export const PLAN_SCHEMA_ROUTE = 'schemas/plan.json';

/**
 * The plan file format as JSON Schema, generated from the plan's zod schema, for editors (completion,
 * hover docs, red squiggles) and other tools. It checks shape only: the semantic rules (the graph,
 * names that must exist, limits across fields) are `durable-recovery validate`'s, which stays the
 * authority. Draft-07, the draft editors' YAML and JSON support reads most widely.
 */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(planDocumentSchema, {
    target: 'draft-7',
    // What a person writes: the input side of the schema (optional fields with defaults stay optional).
    io: 'input',
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Durable Recovery plan (durable-recovery/v1)',
    description:
      'A recovery plan for Azure Site Recovery: steps forming a dependency graph (or ASR-style groups). Shape only; run `durable-recovery validate` for every rule. Reference: docs/plan-format.md',
    ...rest,
  };
}

/** The schema file's text as committed at schemas/plan.schema.json (2-space JSON, final newline). */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
