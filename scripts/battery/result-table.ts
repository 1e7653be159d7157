import type { AttackResult } from './attack';

const columns = ['attack', 'expected', 'observed', 'held/broken'] as const;

/** The results as a plain-text table, one attack a row, with a last line counting what broke. */
export function resultTable(results: readonly AttackResult[]): string {
  const rows = results.map((r) => [r.name, r.expected, r.observed, r.held ? 'held' : 'BROKEN']);
  const widths = columns.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const broken = results.filter((r) => !r.held).length;
  return [
    line(columns),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    '',
    `${results.length - broken} held, ${broken} broken`,
  ].join('\n');
}
