// npm run infra:permissions: rewrites infra/app/required-actions.json (the custom role's actions)
// from the least-privilege list in adapters/arm/required-permissions.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUIRED_ACTIONS_FILE, requiredActionsJson } from './required-actions';

const file = join(__dirname, '../..', REQUIRED_ACTIONS_FILE);
writeFileSync(file, requiredActionsJson());
console.log(`updated ${file}`);
