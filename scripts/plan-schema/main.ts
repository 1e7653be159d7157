// npm run schemas:plan: rewrites schemas/plan.schema.json from the plan's zod schema (a test fails when
// the committed file is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planJsonSchemaText } from '../../core/plan/plan-json-schema';

const file = join(__dirname, '../../schemas/plan.schema.json');
writeFileSync(file, planJsonSchemaText());
console.log(`updated ${file}`);
