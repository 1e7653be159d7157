import type { z } from 'zod';
import { suggestionBudget } from './did-you-mean';
import type { PathSegment } from './plan-issue';

/** A schema problem, before it is located in the source. */
export interface RawIssue {
  rule: string;
  path: PathSegment[];
  message: string;
  severity: 'error' | 'warning';
  /** Point at the key rather than the value (unknown fields). */
  atKey?: boolean;
}

type ZodIssue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** The keys an object schema accepts at `path`, collected through optionals, arrays, records and unions. */
export function knownKeysAt(schema: AnySchema, path: readonly PathSegment[]): Set<string> {
  const keys = new Set<string>();
  const visit = (node: AnySchema, rest: readonly PathSegment[], budget: number): void => {
    if (budget <= 0) return;
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
        visit(def.innerType as AnySchema, rest, budget - 1);
        return;
      case 'pipe':
        visit(def.in as AnySchema, rest, budget - 1);
        return;
      case 'union':
        for (const option of def.options as AnySchema[]) visit(option, rest, budget - 1);
        return;
      case 'array':
        if (rest.length > 0 && typeof rest[0] === 'number')
          visit(def.element as AnySchema, rest.slice(1), budget - 1);
        return;
      case 'record':
        if (rest.length > 0) visit(def.valueType as AnySchema, rest.slice(1), budget - 1);
        return;
      case 'object': {
        const shape = def.shape as Record<string, AnySchema>;
        if (rest.length === 0) for (const key of Object.keys(shape)) keys.add(key);
        else {
          const child = shape[String(rest[0])];
          if (child) visit(child, rest.slice(1), budget - 1);
        }
        return;
      }
      default:
        return;
    }
  };
  visit(schema, path, 64);
  return keys;
}

const DURATION_KEY = /(Minutes|Seconds|^minutes)$/;

/** The rule a range problem breaks, from the field it is on. */
function rangeRule(path: readonly PathSegment[], origin: string, tooBig: boolean): string {
  const last = String(path[path.length - 1] ?? '');
  if (origin === 'array' || origin === 'set') return tooBig ? 'limits/too-many' : 'schema/empty';
  if (origin === 'string') return tooBig ? 'limits/string-length' : 'schema/empty';
  if (DURATION_KEY.test(last)) return 'duration/range';
  if (last === 'attempts') return 'retry/attempts';
  if (last === 'quorum') return 'approval/quorum-range';
  return 'schema/range';
}

/** The rule a format (regex) problem breaks, from the field it is on. */
function formatRule(path: readonly PathSegment[]): string {
  const joined = path.filter((s) => typeof s === 'string').join('.');
  if (joined === 'metadata.name') return 'metadata/name';
  if (/(^|\.)steps\.id$/.test(joined)) return 'step/id-format';
  if (/(^|\.)url$/.test(joined)) return 'url/format';
  return 'schema/format';
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ''}`.trim();
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = String(segment);
    // Own keys only: a missing "constructor" is missing, not Object.prototype's.
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** For a union whose branches all failed: the branch that got furthest (not a root type mismatch, fewest issues). */
function bestBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  // A branch that fails at its root (wrong type, or a string form given a map) is the wrong form, not a near miss.
  const plausible = branches.filter(
    (issues) =>
      !issues.every((i) => (i.code === 'invalid_type' || i.code === 'invalid_value') && i.path.length === 0),
  );
  if (plausible.length === 0) return undefined;
  return plausible.reduce((best, issues) => (issues.length < best.length ? issues : best));
}

/** Maps zod issues to plan issues with stable rule ids and messages that name the rule broken. */
export function schemaIssues(
  issues: readonly ZodIssue[],
  root: unknown,
  schema: AnySchema,
  base: PathSegment[] = [],
  // One budget for the whole document: 50,000 unknown keys get 100 suggestions, not 50,000.
  suggestion: (input: string, candidates: Iterable<string>) => string = suggestionBudget(),
): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    const value = valueAt(root, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, path);
        for (const key of issue.keys) {
          out.push({
            rule: 'schema/unknown-field',
            path: [...path, key],
            message: `unknown field "${key}"${suggestion(key, known)}`,
            severity: 'error',
            atKey: true,
          });
        }
        break;
      }
      case 'invalid_key': {
        const key = String(path[path.length - 1] ?? '');
        const reason = issue.issues[0]?.message ?? 'is not allowed here';
        out.push({
          rule: 'schema/format',
          path,
          message: `the key "${key}" ${reason}`,
          severity: 'error',
          atKey: true,
        });
        break;
      }
      case 'invalid_type':
        if (value === undefined) {
          out.push({
            rule: 'schema/required',
            path,
            message: `"${String(path[path.length - 1] ?? 'value')}" is required`,
            severity: 'error',
          });
        } else {
          // .nan and .inf are numbers to YAML but never valid here; say so rather than "got number".
          const finite = typeof value === 'number' && !Number.isFinite(value);
          out.push({
            rule: 'schema/type',
            path,
            message: `expected ${finite ? 'a finite number' : issue.expected}, got ${describeType(value)}`,
            severity: 'error',
          });
        }
        break;
      case 'too_small':
      case 'too_big': {
        const tooBig = issue.code === 'too_big';
        const bound = tooBig
          ? (issue as { maximum: number | bigint }).maximum
          : (issue as { minimum: number | bigint }).minimum;
        const origin = String(issue.origin);
        const unit = origin === 'array' ? ' entries' : origin === 'string' ? ' characters' : '';
        const relation = tooBig ? 'at most' : 'at least';
        out.push({
          rule: rangeRule(path, origin, tooBig),
          path,
          message: `must be ${relation} ${String(bound)}${unit}`,
          severity: 'error',
        });
        break;
      }
      case 'invalid_format':
        out.push({ rule: formatRule(path), path, message: issue.message, severity: 'error' });
        break;
      case 'invalid_value': {
        const options = issue.values.map((v) => String(v));
        const hint = typeof value === 'string' ? suggestion(value, options) : '';
        const rule = path[0] === 'apiVersion' || path[0] === 'kind' ? 'plan/api-version' : 'schema/enum';
        out.push({ rule, path, message: `must be one of ${options.join(', ')}${hint}`, severity: 'error' });
        break;
      }
      case 'invalid_union': {
        const branch = bestBranch(issue.errors as ZodIssue[][]);
        if (branch && branch.length > 0) out.push(...schemaIssues(branch, root, schema, path, suggestion));
        else if ('options' in issue && Array.isArray(issue.options)) {
          const options = (issue.options as unknown[]).map(String);
          const hint = typeof value === 'string' ? suggestion(value, options) : '';
          out.push({
            rule: 'schema/enum',
            path,
            message: `must be one of ${options.join(', ')}${hint}`,
            severity: 'error',
          });
        } else {
          out.push({
            rule: 'schema/type',
            path,
            message: `${describeType(value)} is not allowed here; see docs/plan-format.md for the accepted forms`,
            severity: 'error',
          });
        }
        break;
      }
      case 'custom': {
        const rule = typeof issue.params?.rule === 'string' ? issue.params.rule : 'schema/invalid';
        out.push({ rule, path, message: issue.message, severity: 'error' });
        break;
      }
      default:
        out.push({ rule: 'schema/invalid', path, message: issue.message, severity: 'error' });
    }
  }
  return out;
}
