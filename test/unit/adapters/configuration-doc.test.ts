import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settings } from '../../../adapters/config/app-config';
import { withSettingsTable } from '../../../scripts/config-docs/settings-table';

const file = join(__dirname, '../../../docs/configuration.md');

describe('docs/configuration.md', () => {
  it('when a setting is added or changed in the schema, then the settings table must be regenerated (npm run docs:config)', async () => {
    const doc = readFileSync(file, 'utf8');
    expect(await withSettingsTable(doc, file)).toBe(doc);
  });

  it('when someone reads the settings table, then every setting of the schema is there with its default', () => {
    const doc = readFileSync(file, 'utf8');
    for (const spec of Object.values(settings) as { env: string; default?: string; docDefault?: string }[]) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.env}\``));
      expect(row, spec.env).toBeDefined();
      const shown = spec.docDefault ?? spec.default;
      expect(row?.split('|')[2]?.trim(), spec.env).toBe(shown === undefined ? '—' : `\`${shown}\``);
    }
  });
});
