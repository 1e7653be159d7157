/** A path into the plan document: map keys and list indexes. */
export type PathSegment = string | number;

/** One problem found in a plan file. Validation returns these; it never throws for user input. */
export interface PlanIssue {
  /** Stable rule id, e.g. `step/unknown-dependency`; docs/plan-format.md lists them all. */
  rule: string;
  /** JSON path of the offending value, e.g. `steps[3].dependsOn[0]`; `$` is the whole document. */
  path: string;
  /** 1-based position in the source, when the path could be located. */
  line?: number;
  column?: number;
  /** Plain message for a person. */
  message: string;
  /** Errors make the plan invalid; warnings are advice. */
  severity: 'error' | 'warning';
}

/** Formats path segments as a JSON path: `steps[3].dependsOn[0]`, `approvers["odd key"]`, `$` for the root. */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '$' : out;
}

/** Orders issues by position, then path, so output is stable and reads top to bottom. */
export function compareIssues(a: PlanIssue, b: PlanIssue): number {
  return (
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    // Plain code-unit order: stable everywhere and cheap enough to sort 100,000 issues.
    byCodeUnit(a.path, b.path) ||
    byCodeUnit(a.rule, b.rule)
  );
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
