import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// No Bicep compiler can be installed here (docs/deploy.md): the template tests read the files as text.
// The templates keep to one declaration per line and single-line decorators, which this relies on.

export const root = join(__dirname, '../../..');
export const infraDir = join(root, 'infra');

export interface BicepFile {
  path: string;
  text: string;
}

export interface BicepParam {
  file: string;
  name: string;
  type: string;
  decorators: string[];
  hasDefault: boolean;
  secure: boolean;
}

export function bicepFiles(): BicepFile[] {
  const found: BicepFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.bicep'))
        found.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(infraDir);
  return found;
}

export function bicep(path: string): BicepFile {
  return { path, text: readFileSync(join(root, path), 'utf8') };
}

/** Every `param`, with the decorator lines right above it. */
export function params(file: BicepFile): BicepParam[] {
  const result: BicepParam[] = [];
  let decorators: string[] = [];
  for (const raw of file.text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('@')) {
      decorators.push(line);
      continue;
    }
    const match = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(line);
    if (match)
      result.push({
        file: file.path,
        name: match[1]!,
        type: match[2]!,
        decorators,
        hasDefault: Boolean(match[3]),
        secure: decorators.some((d) => d.startsWith('@secure(')),
      });
    decorators = [];
  }
  return result;
}

/** Every `output name type = expression` (one line each). */
export function outputs(file: BicepFile): { name: string; expression: string }[] {
  return [...file.text.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)].map((m) => ({
    name: m[1]!,
    expression: m[2]!,
  }));
}

/** The app setting names between the `// app-settings:start` and `// app-settings:end` markers. */
export function appSettingNames(file: BicepFile): string[] {
  const start = file.text.indexOf('// app-settings:start');
  const end = file.text.indexOf('// app-settings:end');
  if (start < 0 || end < start) throw new Error(`${file.path}: app-settings markers missing`);
  const block = file.text.slice(start, end);
  return [...new Set([...block.matchAll(/(?:^|\{)\s*([A-Za-z_]\w*):\s/gm)].map((m) => m[1]!))];
}

/** The role assignments of a file: the resource's symbolic name, its `scope:` and its role expression. */
export function roleAssignments(
  file: BicepFile,
): { symbol: string; scope: string; role: string; principal: string }[] {
  const blocks = file.text.split(/\n(?=resource\s)/);
  return blocks
    .filter((block) => block.includes("'Microsoft.Authorization/roleAssignments@"))
    .map((block) => ({
      symbol: /^resource\s+(\w+)/.exec(block)?.[1] ?? '?',
      scope: /^\s*scope:\s*(.+)$/m.exec(block)?.[1]?.trim() ?? '(deployment scope)',
      role: /roleDefinitionId:\s*(.+)$/m.exec(block)?.[1]?.trim() ?? '?',
      principal: /principalId:\s*(\w+)/.exec(block)?.[1] ?? '?',
    }));
}
