/** Aligns rows into columns (left-aligned, two spaces apart), each line indented by `indent`. */
export function formatTable(
  rows: readonly (readonly string[])[],
  indent = '  ',
  rightAligned: readonly number[] = [],
): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const last = i === row.length - 1;
        if (rightAligned.includes(i)) return cell.padStart(widths[i] ?? 0);
        return last ? cell : cell.padEnd(widths[i] ?? 0);
      });
      return `${indent}${cells.join('  ')}`.trimEnd();
    })
    .join('\n');
}
