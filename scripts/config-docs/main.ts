// npm run docs:config: rewrites the settings table of docs/configuration.md from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSettingsTable } from './settings-table';

const file = join(__dirname, '../../docs/configuration.md');
void withSettingsTable(readFileSync(file, 'utf8'), file).then((text) => {
  writeFileSync(file, text);
  console.log(`updated ${file}`);
});
