// One scrollable, keyboard-focusable table from a list of columns: every page's tables share the markup.
import type { ComponentChildren } from 'preact';

export interface Column<T> {
  head: ComponentChildren;
  cell: (row: T, index: number) => ComponentChildren;
  /** Class of the body cells only (mono, nowrap). */
  td?: string;
  /** Class of the header and the body cells (num, hide-narrow). */
  all?: string;
}

const classes = (...names: (string | undefined)[]): string | undefined =>
  names.filter(Boolean).join(' ') || undefined;

export function Table<T>({
  columns,
  rows,
  rowKey,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
}) {
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.all}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, n) => (
            <tr key={rowKey(row, n)}>
              {columns.map((c, i) => (
                <td key={i} class={classes(c.td, c.all)}>
                  {c.cell(row, n)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
